using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Get-ShmUsage in the real engine, as a user types it: objects, the default view, warnings, System V.</summary>
public sealed class GetShmUsageScenarios : IDisposable
{
    private readonly Holder _held = Holder.Mapping(Segments.UniqueName("shmtools-usage-"), 65536);
    private readonly string _stale = Segments.Dead(1 << 20);

    public void Dispose()
    {
        _held.Dispose();
        Segments.Remove(_stale);
    }

    [Fact]
    public void Writes_the_own_mount_with_the_size_statvfs_gives_and_renders_it_in_80_columns()
    {
        var steps = Engine.Run(new Scenario { Steps = [new ScenarioStep { Script = """
            Import-Module $ModulePath
            $u = Get-ShmUsage
            $drive = [System.IO.DriveInfo]::new('/dev/shm')
            [pscustomobject]@{
                Count = @($u).Count; Type = $u.GetType().FullName; Path = $u.Path; OwnNamespace = $null -eq $u.Namespace
                SizeMatches = $u.SizeBytes -eq $drive.TotalSize
                UsedPlausible = $u.UsedBytes -ge (1MB + 8KB) -and $u.UsedBytes -le $u.SizeBytes
                LiveAtLeastHolder = $u.LiveBytes -ge 8KB
                StaleAtLeastDead = $u.StaleBytes -ge 1MB
                VerdictsAddUp = ($u.LiveBytes + $u.StaleBytes + $u.OrphanedBytes + $u.UnknownBytes) -le $u.UsedBytes
                Pytorch = @($u.TopProducers | Where-Object Producer -EQ 'pytorch').Count
            }
            """ }, new ScenarioStep { Script = "Get-ShmUsage" }] }).Steps;
        var r = steps[0];
        StepAssert.Clean(r);
        StepAssert.ProgressCompleted(r);
        var o = r.Objects[0].Properties;
        Assert.Equal("1", o["Count"]);
        Assert.Equal("ShmTools.Core.Capacity.ShmMountUsage", o["Type"]);
        Assert.Equal("/dev/shm", o["Path"]);
        foreach (var k in new[] { "OwnNamespace", "SizeMatches", "UsedPlausible", "LiveAtLeastHolder", "StaleAtLeastDead", "VerdictsAddUp" })
            Assert.True(o[k] == "True", k + " was " + o[k] + "\n" + r.Console);
        Assert.Equal("1", o["Pytorch"]);
        var view = steps[1];
        StepAssert.Clean(view);
        StepAssert.ProgressCompleted(view);
        var lines = view.Lines().ToList();
        var header = Assert.Single(lines, l => l.StartsWith("Device"));
        foreach (var column in new[] { "Size", "Used", "Use%", "Live", "Stale", "Container", "Path" }) Assert.Contains(column, header);
        Assert.Contains(lines, l => l.Contains("(host)") && l.EndsWith("/dev/shm"));
        StepAssert.FitsWidth(view);
    }

    [Fact]
    public void SystemV_reports_the_kernel_limits()
    {
        var steps = Engine.Run(new Scenario { Steps = [new ScenarioStep { Script = """
            Import-Module $ModulePath
            $s = Get-ShmUsage -SystemV
            [pscustomobject]@{ Type = $s.GetType().Name; Mni = $s.ShmMni; Max = $s.ShmMaxBytes }
            """ }, new ScenarioStep { Script = "Get-ShmUsage -SystemV" }] }).Steps;
        var r = steps[0];
        StepAssert.Clean(r);
        StepAssert.Clean(steps[1]);
        var o = r.Objects[0].Properties;
        Assert.Equal("SysVUsage", o["Type"]);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/shmmni").Trim(), o["Mni"]);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/shmmax").Trim(), o["Max"]);
        Assert.Contains(steps[1].Lines(), l => l.StartsWith("ShmMni") && l.Contains(o["Mni"]));
        Assert.Contains(steps[1].Lines(), l => l.StartsWith("ShmMax") && (l.Contains("unlimited") || l.Contains("iB")));
    }

    [Fact]
    public void Unprivileged_it_warns_of_partial_visibility_and_calls_nothing_stale()
    {
        if (!Engine.IsRoot) return; // unprivileged already: the same as the case above
        var r = Engine.Run("""
            Import-Module $ModulePath
            $u = Get-ShmUsage
            [pscustomobject]@{ Stale = $u.StaleBytes; Unknown = $u.UnknownBytes -ge 1MB }
            """, RunAs.Unprivileged);
        StepAssert.Clean(r);
        Assert.Contains(r.Warnings, w => w.Contains("could not be read"));
        Assert.Equal("0", r.Objects[0].Properties["Stale"]);
        Assert.Equal("True", r.Objects[0].Properties["Unknown"]);
    }

    [Fact]
    public void A_bad_Top_is_a_parameter_error_not_a_crash()
    {
        var r = Engine.Run("""
            Import-Module $ModulePath
            Get-ShmUsage -Top -3
            """);
        var e = Assert.Single(r.Errors);
        Assert.Contains("ParameterArgumentValidationError", e.FullyQualifiedErrorId);
    }
}
