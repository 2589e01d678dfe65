using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>
/// A descriptor no pass over /proc can see. Runs alone: while a parallel test starts a process,
/// the forked child holds a copy of this process's descriptors (the cleaner's parked file among
/// them) until it execs, and the holder pass rightly counts that child as a holder, so the lease
/// this test is about would never be reached.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class InFlightDescriptorTests
{
    /// <summary>
    /// A descriptor in flight over a Unix socket is in no process's fd table, so no pass over /proc
    /// can see it; the write lease taken before the unlink still does (the kernel counts open files).
    /// </summary>
    [Fact]
    public void A_descriptor_in_flight_that_no_pass_can_see_is_caught_by_the_lease_and_it_is_put_back()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        string path = "/dev/shm/" + stale;
        try
        {
            var judged = DeadSegments.Judge(stale);
            using var sender = HeldSegment.StartWith("python3", ["-c",
                "import os,socket,sys,json; a,b=socket.socketpair(socket.AF_UNIX); fd=os.open(sys.argv[1],os.O_RDONLY); " +
                "socket.send_fds(a,[b'x'],[fd]); os.close(fd); print(json.dumps({'pid':os.getpid()}),flush=True); sys.stdin.read()", path]);
            Assert.DoesNotContain(Directory.GetFiles($"/proc/{sender.Pid}/fd"), f => new FileInfo(f).LinkTarget == path);
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Contains("the kernel refused an exclusive lease", r.Reason);
            Assert.True(File.Exists(path));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }
}
