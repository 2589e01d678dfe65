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

    [Fact]
    public void A_piped_list_shows_one_bar_per_cmdlet_not_one_per_segment()
    {
        int pid = Segments.DeadPid();
        int tag = Random.Shared.Next(100000, 999999);
        var names = Enumerable.Range(0, 300).Select(i => $"torch_{pid}_{tag}{i:000}_0").ToArray();
        foreach (var n in names) File.WriteAllBytes(Segments.PathOf(n), new byte[4096]);
        try
        {
            var r = Engine.Run($"""
                Import-Module $ModulePath
                $t = [Diagnostics.Stopwatch]::StartNew()
                $judged = @(Get-ShmSegment -Name 'torch_{pid}_{tag}*' | Test-ShmLiveness)
                $cleared = @(Get-ShmSegment -Name 'torch_{pid}_{tag}*' | Test-ShmLiveness | Clear-StaleShm -Force)
                "$($judged.Count) judged, $(@($cleared | Where-Object Action -eq Removed).Count) removed in $([int]$t.Elapsed.TotalSeconds + 1) s"
                """);
            StepAssert.Clean(r);
            StepAssert.ProgressCompleted(r);
            var said = System.Text.RegularExpressions.Regex.Match(r.Console, @"(\d+) judged, (\d+) removed in (\d+) s");
            Assert.True(said.Success, r.Console);
            Assert.Equal("300", said.Groups[1].Value);
            Assert.Equal("300", said.Groups[2].Value);
            int seconds = int.Parse(said.Groups[3].Value);
            // Two Test-ShmLiveness invocations: each a start, a Completed, and at most four counts a second.
            var testing = r.Progress.Count(p => p.Activity == "Test-ShmLiveness");
            Assert.InRange(testing, 4, 4 + 2 * 4 * seconds);
            var clearing = r.Progress.Count(p => p.Activity == "Clear-StaleShm");
            Assert.InRange(clearing, 2, 3 + 4 * seconds);
            Assert.All(names, n => Assert.False(File.Exists(Segments.PathOf(n))));
        }
        finally { Segments.Remove(names.Where(n => File.Exists(Segments.PathOf(n))).ToArray()); }
    }
}
