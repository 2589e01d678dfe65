using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Import-Module, autoload, Remove-Module and the load boundary, each in a fresh engine process.</summary>
public sealed class ImportTests
{
    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Import_exports_every_cmdlet_and_output_type_literals_resolve(RunAs user)
    {
        var r = Engine.Run("""
            Import-Module $ModulePath
            (Get-Command -Module ShmTools).Name
            [ShmTools.Core.Liveness.Verdict]::Stale
            [ShmTools.Core.Shm.SegmentKind]::Posix
            [ShmTools.Core.Text.ByteSize]::Format(65536)
            """, user);
        StepAssert.Clean(r);
        var texts = r.Objects.Select(o => o.Text).ToList();
        foreach (var c in new[] { "Clear-StaleShm", "Get-DeviceProfile", "Get-GpuAllocation", "Get-ShmSegment", "Invoke-MemoryPlan", "Test-ShmLiveness" })
            Assert.Contains(c, texts);
        Assert.Contains("Stale", texts);
        Assert.Contains("Posix", texts);
        Assert.Contains(r.Objects, o => o.TypeNames[0] == "ShmTools.Core.Liveness.Verdict");
        Assert.Contains("64 KiB", texts);
    }
}
