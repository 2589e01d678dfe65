using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>The engine drives a cleanup; the approver only answers, candidate by candidate.</summary>
public sealed class ApproverTests
{
    [Fact]
    public void A_declining_approver_keeps_every_candidate_and_sees_each_worded_with_its_size()
    {
        long tag = DeadSegments.Tag();
        string a = DeadSegments.Create(tag, 8192), b = DeadSegments.Create(tag, 12288);
        using var live = HeldSegment.Start("file", "/dev/shm", $"torch_live_{tag}_0", "4096", "map");
        var asked = new List<CleanupCandidate>();
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var report = cleaner.Run(CleanupInput.Of(DeadSegments.Scan($"torch_*_{tag}_0")),
                CleanupApprover.From(c => { asked.Add(c); return Approval.Decline; }));
            Assert.Equal(new[] { a, b }.Order(), asked.Select(c => c.Result.Name).Order());
            var ofB = asked.Single(c => c.Result.Name == b);
            Assert.Equal($"/dev/shm/{b} (Posix, 12 KiB)", ofB.Target);
            Assert.StartsWith("Remove stale shared memory: owner pid ", ofB.Action);
            Assert.EndsWith($" on target \"/dev/shm/{b} (Posix, 12 KiB)\".", ofB.Description);
            Assert.Empty(report.Removed);
            Assert.Equal(3, report.Kept.Count());
            Assert.Equal(2, report.Kept.Count(k => k.Reason == "not confirmed"));
            Assert.False(report.DryRun);
            Assert.True(File.Exists("/dev/shm/" + a) && File.Exists("/dev/shm/" + b));
            Assert.StartsWith("0 removed, 3 kept, 0 failed; freed 0 B", report.Summary);
        }
        finally
        {
            TestHost.Remove(a, b);
        }
    }

    [Fact]
    public void Previews_remove_nothing_and_approvals_are_mixed_per_candidate()
    {
        long tag = DeadSegments.Tag();
        string a = DeadSegments.Create(tag), b = DeadSegments.Create(tag), c = DeadSegments.Create(tag);
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var report = cleaner.Run(CleanupInput.Of(DeadSegments.Scan($"torch_*_{tag}_0")), CleanupApprover.From(x =>
                x.Result.Name == a ? Approval.Approve : x.Result.Name == b ? Approval.Preview : Approval.Decline));
            Assert.Equal(CleanupAction.Removed, report.Records.Single(r => r.Name == a).Action);
            Assert.Equal(CleanupAction.WouldRemove, report.Records.Single(r => r.Name == b).Action);
            Assert.Equal(CleanupAction.Kept, report.Records.Single(r => r.Name == c).Action);
            Assert.False(File.Exists("/dev/shm/" + a));
            Assert.True(File.Exists("/dev/shm/" + b) && File.Exists("/dev/shm/" + c));
            Assert.False(report.DryRun);
        }
        finally
        {
            TestHost.Remove(a, b, c);
        }
    }

    [Fact]
    public void Records_are_emitted_as_they_are_decided_kept_ones_before_any_candidate_is_asked()
    {
        long tag = DeadSegments.Tag();
        string stale = DeadSegments.Create(tag);
        using var live = HeldSegment.Start("file", "/dev/shm", $"torch_live_{tag}_0", "4096", "map");
        var events = new List<string>();
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var report = cleaner.Run(CleanupInput.Of(DeadSegments.Scan($"torch_*_{tag}_0")),
                CleanupApprover.From(c => { events.Add("ask " + c.Result.Name); return Approval.Approve; }),
                r => events.Add($"{r.Action} {r.Name}"));
            Assert.True(events.SequenceEqual([$"Kept torch_live_{tag}_0", "ask " + stale, "Removed " + stale]),
                string.Join("; ", events) + " | " + string.Join("; ", report.Records.Select(r => $"{r.Name}: {r.Reason}")));
            Assert.Equal(report.Records.Select(r => $"{r.Action} {r.Name}"), events.Where(e => !e.StartsWith("ask ")));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void The_preview_approver_makes_a_dry_run_even_with_nothing_to_remove()
    {
        using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
        var report = cleaner.Run(CleanupInput.Of(DeadSegments.Scan(Unique.Name("none"))), CleanupApprover.PreviewAll);
        Assert.True(report.DryRun);
        Assert.Empty(report.Records);
        Assert.EndsWith("Preview: nothing was removed.", report.Summary);
    }

    [Theory]
    [InlineData(true, null, "OrphanedNeedsOlderThan")]
    [InlineData(false, -5.0, "NegativeOlderThan")]
    public void Options_that_break_a_rule_are_refused_before_anything_is_judged(bool orphaned, double? olderThanSeconds, string errorId)
    {
        var options = new CleanupOptions { IncludeOrphaned = orphaned, OlderThan = olderThanSeconds is { } s ? TimeSpan.FromSeconds(s) : null };
        Assert.Equal(errorId, Assert.Throws<CleanupOptionsException>(options.Validate).ErrorId);
        Assert.Equal(errorId, Assert.Throws<CleanupOptionsException>(() => new StaleSegmentCleaner(options)).ErrorId);
    }
}
