using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>
/// A host that starts a program on another thread while a cleanup holds a parked segment's lock
/// descriptor: the child holds a copy of that descriptor until it execs. That copy is the
/// cleaner's own open file, not a hold; the same child opening the segment itself is one. The
/// fork copies every descriptor of the test process, so these run alone.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class ForkedCopyTests
{
    [Fact]
    public void A_child_forked_while_the_segment_is_parked_holding_only_the_cleaners_copy_does_not_keep_it()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        var judged = DeadSegments.Judge(stale);
        ForkedChild? child = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options()) { AfterQuarantine = _ => child = ForkedChild.Start() };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.NotNull(child);
            Assert.True(Directory.Exists($"/proc/{child!.Pid}"));
            Assert.True(r.Action == CleanupAction.Removed, $"{r.Action}: {r.Reason}");
            Assert.False(File.Exists("/dev/shm/" + stale));
            Assert.Empty(DeadSegments.ParkedOf(stale));
        }
        finally
        {
            child?.Dispose();
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void A_child_forked_while_the_segment_is_parked_that_opens_it_itself_keeps_it()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        var judged = DeadSegments.Judge(stale);
        ForkedChild? child = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options())
            {
                AfterQuarantine = batch =>
                {
                    var (dir, _, parked) = Assert.Single(batch);
                    child = ForkedChild.Start(Path.Combine(dir, parked));
                },
            };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Equal($"at removal: held by pid {child!.Pid} via fd at removal; put back under its name", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            child?.Dispose();
            TestHost.Remove(stale);
        }
    }
}
