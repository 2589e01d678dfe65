using ShmTools.Tests.Support;
using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Errors as PowerShell users expect them: ObjectNotFound for exact misses, clear binding errors, the plan kept when its chart fails.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Exact_names_that_match_nothing_are_ObjectNotFound_and_wildcards_are_silent()
    {
        string a = "err-a-" + Random.Shared.Next(1, 1 << 30);
        File.WriteAllBytes("/dev/shm/" + a, new byte[64]);
        try
        {
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new() { Script = "Import-Module $ModulePath" },
                    new() { Script = $"Get-ShmSegment -Name 'err-none-1', '{a}'; $?" },
                    new() { Script = $"Get-ShmSegment -Name 'err-none-*'; Test-ShmLiveness -Name 'err-none-*'; Get-DeviceProfile 'nothing-like-this*'; Get-ShmSegment -Name '{a}' -Kind SysV; Get-ShmSegment -Name '{a}' -MinimumSize 1MB; $?" },
                    new() { Script = "Test-ShmLiveness -Name 'err-none-2'" },
                    new() { Script = "Clear-StaleShm -Name 'err-none-3' -WhatIf" },
                    new() { Script = "Get-DeviceProfile 'no-such-device'" },
                    new() { Script = "Invoke-MemoryPlan ./no-such-model.onnx" },
                    new() { Script = "Get-DeviceProfile -Path ./no-such-profiles.yaml | ForEach-Object Name" },
                ],
            });
            StepAssert.Clean(r.Steps[0]);
            var miss = Assert.Single(r.Steps[1].Errors);
            Assert.Equal("ShmSegmentNotFound,ShmTools.Commands.GetShmSegmentCommand", miss.FullyQualifiedErrorId);
            Assert.Equal("ObjectNotFound", miss.Category);
            Assert.Contains("'err-none-1'", miss.Message);
            Assert.Equal(["ShmTools.Core.Shm.ShmSegment", "System.Boolean"], r.Steps[1].Objects.Select(o => o.TypeNames[0]));
            Assert.Equal("False", r.Steps[1].Objects[1].Text);
            StepAssert.Clean(r.Steps[2]);
            Assert.Equal("True", Assert.Single(r.Steps[2].Objects).Text);
            Assert.Equal("ShmSegmentNotFound,ShmTools.Commands.TestShmLivenessCommand", Assert.Single(r.Steps[3].Errors).FullyQualifiedErrorId);
            Assert.Equal("ShmSegmentNotFound,ShmTools.Commands.ClearStaleShmCommand", Assert.Single(r.Steps[4].Errors).FullyQualifiedErrorId);
            Assert.Equal("DeviceProfileNotFound,ShmTools.Commands.GetDeviceProfileCommand", Assert.Single(r.Steps[5].Errors).FullyQualifiedErrorId);
            var model = Assert.Single(r.Steps[6].Errors);
            Assert.Equal("ModelNotFound,ShmTools.Commands.InvokeMemoryPlanCommand", model.FullyQualifiedErrorId);
            Assert.Equal("ObjectNotFound", model.Category);
            Assert.Equal("ProfilePathNotFound,ShmTools.Commands.GetDeviceProfileCommand", Assert.Single(r.Steps[7].Errors).FullyQualifiedErrorId);
            Assert.Contains("cpu", r.Steps[7].Objects.Select(o => o.Text)); // the other profiles still come
        }
        finally
        {
            File.Delete("/dev/shm/" + a);
        }
    }

    [Fact]
    public void A_process_id_below_1_is_an_InvalidArgument_error_and_lists_nothing()
    {
        var r = Engine.Run("Import-Module $ModulePath; [IO.File]::WriteAllBytes('/dev/shm/pid-negative-probe', [byte[]]::new(16)); (Get-ShmSegment -ProcessId -5).Count");
        try
        {
            var e = Assert.Single(r.Errors);
            Assert.StartsWith("InvalidProcessId", e.FullyQualifiedErrorId);
            Assert.Contains("-ProcessId: -5 is not a process id", e.Message);
            Assert.Equal(["0"], r.Objects.Select(o => o.Text));
        }
        finally { File.Delete("/dev/shm/pid-negative-probe"); }
    }

    [Fact]
    public void Objects_that_are_not_segments_fail_clearly_and_an_unwritable_chart_keeps_the_plan()
    {
        string model = TestModels.Classifier;
        var r = Engine.Run(new Scenario
        {
            Steps =
            [
                new() { Script = "Import-Module $ModulePath" },
                new() { Script = "[pscustomobject]@{ Path = '/dev/shm/x' } | Test-ShmLiveness" },
                new() { Script = "[pscustomobject]@{ Path = '/dev/shm/x' } | Clear-StaleShm -WhatIf" },
                new() { Script = "[pscustomobject]@{ Name = $null } | Test-ShmLiveness" },
                new() { Script = "[pscustomobject]@{ Verdict = 'Stale' } | Clear-StaleShm -Force" },
                new() { Script = $"$p = Invoke-MemoryPlan '{model}' -InputShape x=1,3,48,192 -ChartPath /no-such-dir/plan.svg; $p.Devices[0].Name" },
            ],
        });
        StepAssert.Clean(r.Steps[0]);
        foreach (var i in new[] { 1, 2, 3, 4 })
        {
            Assert.NotEmpty(r.Steps[i].Errors);
            Assert.Empty(r.Steps[i].Objects);
            foreach (var e in r.Steps[i].Errors.Concat(r.Steps[i].ErrorVariable))
            {
                Assert.NotEqual("System.ArgumentNullException", e.ExceptionType);
                Assert.NotEqual("System.NullReferenceException", e.ExceptionType);
                Assert.DoesNotContain("--", e.Message);
            }
        }
        var chart = Assert.Single(r.Steps[5].Errors);
        Assert.Equal("ChartNotWritten,ShmTools.Commands.InvokeMemoryPlanCommand", chart.FullyQualifiedErrorId);
        Assert.False(chart.Terminating);
        Assert.Contains("/no-such-dir/plan.svg", chart.Message);
        Assert.Equal("cpu", Assert.Single(r.Steps[5].Objects).Text);
    }
}
