using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>
/// Looking must not change what is judged: the handshake writes a file's header, and a probe
/// that left the file looking just used would restart its age on every check, so that
/// <c>--older-than</c> never removed a stale lease-header segment.
/// </summary>
public sealed class ProbeSideEffectTests
{
    [Fact]
    public void A_probed_lease_header_file_keeps_its_age_and_goes_with_older_than()
    {
        string name = Unique.Name("probe-age");
        var p = HeldSegment.Participant("posix", name, "4096", "--respond");
        p.Kill(); // header ALIVE, owner dead: every check probes it and waits for an answer
        p.Dispose();
        string path = "/dev/shm/" + name;
        var twoHoursAgo = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(path, twoHoursAgo);
        File.SetLastAccessTimeUtc(path, twoHoursAgo);
        try
        {
            var first = TestHost.Check(name);
            var second = TestHost.Check(name);
            Assert.Equal((Verdict.Stale, Verdict.Stale), (first.Verdict, second.Verdict));
            Assert.Equal("handshake unanswered and the recorded owner is dead", second.Reason);
            Assert.Equal(twoHoursAgo, File.GetLastWriteTimeUtc(path), TimeSpan.FromSeconds(1));
            Assert.Equal(twoHoursAgo, File.GetLastAccessTimeUtc(path), TimeSpan.FromSeconds(1));
            Assert.True(second.Idle >= TimeSpan.FromHours(1.9), $"idle {second.Idle} after two probes");

            var options = new CleanupOptions { Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(300)), OlderThan = TimeSpan.FromHours(1) };
            using var cleaner = new StaleSegmentCleaner(options);
            var report = cleaner.Run(CleanupInput.Of(new ShmInventory().Scan(new ShmQuery { ExactNames = new HashSet<string> { name } }).Segments), CleanupApprover.ApproveAll);
            Assert.Equal(name, Assert.Single(report.Removed).Name);
            Assert.False(File.Exists(path));
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_recently_written_file_is_still_recent()
    {
        string name = Unique.Name("probe-age");
        var p = HeldSegment.Participant("posix", name, "4096", "--respond");
        p.Kill();
        p.Dispose();
        try
        {
            var r = TestHost.Check(name);
            Assert.Equal(Verdict.Stale, r.Verdict);
            Assert.True(r.Idle < TimeSpan.FromMinutes(5), $"idle {r.Idle} for a file written just now");
            var options = new CleanupOptions { Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(300)), OlderThan = TimeSpan.FromHours(1) };
            using var cleaner = new StaleSegmentCleaner(options);
            var report = cleaner.Run(CleanupInput.Of(new ShmInventory().Scan(new ShmQuery { ExactNames = new HashSet<string> { name } }).Segments), CleanupApprover.ApproveAll);
            Assert.Contains("more recently than", Assert.Single(report.Kept).Reason);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    /// <summary>
    /// A segment removed between the listing and the judging (its owner unlinked it) is Unknown,
    /// and the reason says plainly that it is gone, not only an errno.
    /// </summary>
    [Fact]
    public void A_segment_removed_after_it_was_listed_is_Unknown_and_said_to_be_gone()
    {
        string name = Unique.Name("gone");
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        var listed = TestHost.Segment(name);
        File.Delete("/dev/shm/" + name);
        var r = Assert.Single(new LivenessChecker(TestHost.Liveness(TimeSpan.FromMilliseconds(300))).Check([listed]));
        Assert.Equal(Verdict.Unknown, r.Verdict);
        string gone = $"/dev/shm/{name} is no longer there: removed or renamed since it was listed";
        Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.LockLease && e.Finding == "not probed: " + gone);
        // Where every process can be seen, that is the reason too (else the reason names who may hide).
        if (TestHost.InOwnPidNamespace) Assert.Equal("could not be probed: " + gone, r.Reason);
    }
}
