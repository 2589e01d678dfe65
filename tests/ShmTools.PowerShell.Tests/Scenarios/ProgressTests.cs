using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Every progress activity ends with Completed, and nested ones name their parent.</summary>
public sealed class ProgressTests
{
    [Fact]
    public void Every_activity_completes_and_the_scan_nests_under_the_judging_cmdlet()
    {
        string dead = Segments.Dead();
        try
        {
            var r = Engine.Run($"""
                Import-Module $ModulePath
                $null = Get-ShmSegment -Name '{dead}'
                $null = Test-ShmLiveness -Name '{dead}'
                $null = Clear-StaleShm -Name '{dead}' -WhatIf
                $null = Get-ShmSegment -Name '{dead}' | Test-ShmLiveness | Clear-StaleShm -WhatIf
                $null = Clear-StaleShm -Name '{dead}' -Force
                """);
            StepAssert.Clean(r);
            StepAssert.ProgressCompleted(r);
            var parents = r.Progress.Where(p => p.ParentActivityId == -1).Select(p => p.Activity).Distinct().ToList();
            Assert.Contains("Test-ShmLiveness", parents);
            Assert.Contains("Clear-StaleShm", parents);
            var nested = r.Progress.Where(p => p.ParentActivityId != -1).ToList();
            Assert.NotEmpty(nested);
            Assert.All(nested, p => Assert.Equal("Shared memory", p.Activity));
            // A nested record's parent is an activity of the same command (same source) still open at that moment.
            foreach (var n in nested)
                Assert.Contains(r.Progress, p => p.SourceId == n.SourceId && p.ActivityId == n.ParentActivityId);
        }
        finally { Segments.Remove(dead); }
    }
}
