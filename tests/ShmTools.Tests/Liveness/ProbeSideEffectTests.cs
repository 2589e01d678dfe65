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
}
