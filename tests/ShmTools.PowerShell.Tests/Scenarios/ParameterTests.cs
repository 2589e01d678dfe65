using ShmTools.Tests.Support;
using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Parameters as PowerShell users type them: durations, input shapes, empty process lists.</summary>
public sealed class ParameterTests
{
    [Fact]
    public void Durations_bind_as_on_the_command_line_and_meaningless_timeouts_are_refused()
    {
        var r = Engine.Run(new Scenario
        {
            Steps =
            [
                new() { Script = "Import-Module $ModulePath" },
                new() { Script = "Test-ShmLiveness -Name 'none-*' -ProbeTimeout 2" },
                new() { Script = "Test-ShmLiveness -Name 'none-*' -ProbeTimeout 2ms" },
                new() { Script = "Test-ShmLiveness -Name 'none-*' -ProbeTimeout ([timespan]::FromTicks(2))" },
                new() { Script = "Test-ShmLiveness -Name 'none-*' -ProbeTimeout NaN" },
                new() { Script = "Test-ShmLiveness -Name 'none-*' -OrphanAge 1e300ms" },
                new() { Script = "Clear-StaleShm -Name 'none-*' -IncludeOrphaned -OlderThan -7d -WhatIf" },
                new() { Script = "Test-ShmLiveness -Name 'none-*' -ProbeTimeout 2s -OrphanAge 1h; Test-ShmLiveness -Name 'none-*' -ProbeTimeout 500ms -OrphanAge '01:30:00'; Test-ShmLiveness -Name 'none-*' -ProbeTimeout 1.5s -OrphanAge 7d; 'ok'" },
                new() { Script = "Clear-StaleShm -Name 'none-*' -IncludeOrphaned -OlderThan 7d -WhatIf; Clear-StaleShm -Name 'none-*' -IncludeOrphaned -OlderThan ([timespan]::FromDays(7)) -WhatIf; 'ok'" },
            ],
        });
        StepAssert.Clean(r.Steps[0]);
        foreach (var (step, words) in new[] { (1, "ticks"), (2, "too short"), (3, "too short"), (4, "not a duration"), (5, "not a duration"), (6, "negative") })
        {
            var e = Assert.Single(r.Steps[step].Errors);
            Assert.StartsWith("ParameterArgument", e.FullyQualifiedErrorId);
            Assert.Contains(words, e.Message);
            Assert.DoesNotContain("--", e.Message);
            Assert.Empty(r.Steps[step].Objects);
        }
        Assert.Contains("'ProbeTimeout'", r.Steps[1].Errors[0].Message);
        StepAssert.Clean(r.Steps[7]);
        Assert.Equal("ok", Assert.Single(r.Steps[7].Objects).Text);
        StepAssert.Clean(r.Steps[8]);
    }

    [Fact]
    public void Input_shapes_bind_as_typed_split_array_or_hashtable_and_empty_process_lists_select_nothing()
    {
        string model = TestModels.Classifier;
        var r = Engine.Run(new Scenario
        {
            Steps =
            [
                new() { Script = "Import-Module $ModulePath" },
                new() { Script = $"(Invoke-MemoryPlan '{model}' -InputShape x=1,3,48,192).Devices[0].PeakBytes" },
                new() { Script = $"(Invoke-MemoryPlan '{model}' -InputShape @{{x=1,3,48,192}}).Devices[0].PeakBytes" },
                new() { Script = $"(Invoke-MemoryPlan '{model}' -InputShape 'x=1,3,48,192').Devices[0].PeakBytes" },
                new() { Script = $"Invoke-MemoryPlan '{model}' -InputShape 1,3,48,192" },
                new() { Script = $"Invoke-MemoryPlan '{model}'" },
                new() { Script = "[IO.File]::WriteAllBytes('/dev/shm/pid-filter-probe', [byte[]]::new(16)); (Get-ShmSegment -ProcessId $null).Count; (Get-ShmSegment -ProcessId @()).Count; (Get-ShmSegment).Count -gt 0" },
                new() { Script = $"(Invoke-MemoryPlan '{model}' -InputShape x=1,3,48,192 -Strategy greedy-by-size).Devices.Count; (Invoke-MemoryPlan '{model}' -InputShape x=1,3,48,192 -Strategy GreedyBySize).Devices.Count" },
                new() { Script = $"Invoke-MemoryPlan '{model}' -InputShape x=1,3,48,192 -Strategy magic" },
            ],
        });
        StepAssert.Clean(r.Steps[0]);
        foreach (var i in new[] { 1, 2, 3 }) StepAssert.Clean(r.Steps[i]);
        var peak = Assert.Single(r.Steps[1].Objects).Text;
        Assert.True(long.Parse(peak) > 0);
        Assert.Equal(peak, Assert.Single(r.Steps[2].Objects).Text);
        Assert.Equal(peak, Assert.Single(r.Steps[3].Objects).Text);
        Assert.Contains("NAME=D1,D2", Assert.Single(r.Steps[4].Errors).Message);
        var missing = Assert.Single(r.Steps[5].Errors);
        Assert.Contains("input shape x=D1,D2", missing.Message);
        Assert.DoesNotContain("--", missing.Message);
        StepAssert.Clean(r.Steps[6]);
        Assert.Equal(["0", "0", "True"], r.Steps[6].Objects.Select(o => o.Text));
        StepAssert.Clean(r.Steps[7]);
        Assert.Equal(["1", "1"], r.Steps[7].Objects.Select(o => o.Text));
        Assert.Contains("auto, use-count, use-count-in-place, greedy-by-size", Assert.Single(r.Steps[8].Errors).Message);
        File.Delete("/dev/shm/pid-filter-probe");
    }
}
