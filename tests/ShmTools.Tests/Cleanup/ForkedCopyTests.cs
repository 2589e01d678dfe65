using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>
/// A host that starts a program on another thread while a cleanup holds a parked segment's lock
/// descriptor: the child holds a copy of that descriptor until it execs. The copy is a hold the
/// lease cannot see (it is the cleaner's own open file), so the removal waits a moment for it to
/// go; one that stays, an open of the child's own, or a copy another program took, keeps the
/// segment. The fork copies every descriptor of the test process, so these run alone.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class ForkedCopyTests
{
    [Fact]
    public void A_child_forked_while_the_segment_is_parked_that_execs_a_moment_later_does_not_keep_it()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        var judged = DeadSegments.Judge(stale);
        ForkedChild? child = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options()) { AfterQuarantine = _ => child = ForkedChild.Start(execAfterMs: 15) };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.NotNull(child);
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

    /// <summary>A copy is a hold the lease cannot see: one that stays keeps the segment, however long it is waited for.</summary>
    [Fact]
    public void A_child_forked_while_the_segment_is_parked_that_keeps_the_copy_keeps_it()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        var judged = DeadSegments.Judge(stale);
        ForkedChild? child = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options()) { AfterQuarantine = _ => child = ForkedChild.Start() };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Equal($"at removal: held by pid {child!.Pid} via fd; put back under its name", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            child?.Dispose();
            TestHost.Remove(stale);
        }
    }

    /// <summary>
    /// The child's own open beside the copy, also as an O_PATH descriptor, also at a number above
    /// the copy's (the pass records one descriptor per file and process): the pass sees a holder.
    /// </summary>
    [Theory]
    [InlineData(0, -1)]
    [InlineData(0, 1000)]
    [InlineData(ForkedChild.O_PATH, -1)]
    [InlineData(ForkedChild.O_PATH, 1000)]
    public void A_child_forked_while_the_segment_is_parked_that_opens_it_itself_keeps_it(int flags, int atFd)
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
                    child = ForkedChild.Start(Path.Combine(dir, parked), flags, atFd);
                },
            };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Equal($"at removal: held by pid {child!.Pid} via fd; put back under its name", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            child?.Dispose();
            TestHost.Remove(stale);
        }
    }

    /// <summary>A copy of the lock descriptor taken by another program (pidfd_getfd, as root may) is a hold.</summary>
    [RootFact]
    public void A_copy_of_the_lock_descriptor_taken_by_another_program_keeps_it()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        var judged = DeadSegments.Judge(stale);
        HeldSegment? grabber = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options())
            {
                AfterQuarantine = batch =>
                {
                    var (dir, _, parked) = Assert.Single(batch);
                    int lockFd = Directory.GetFiles("/proc/self/fd")
                        .Select(f => (Fd: int.Parse(Path.GetFileName(f)), Target: new FileInfo(f).LinkTarget))
                        .Single(x => x.Target == Path.Combine(dir, parked)).Fd;
                    grabber = HeldSegment.StartWith("python3", ["-c", GetFd, Environment.ProcessId.ToString(), lockFd.ToString()]);
                },
            };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.True(grabber!.InfoInt("fd") >= 0, "pidfd_getfd failed");
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal($"at removal: held by pid {grabber.Pid} via fd; put back under its name", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            grabber?.Dispose();
            TestHost.Remove(stale);
        }
    }

    /// <summary>
    /// The copy taken, mapped and closed, and the taker's main thread gone (its maps then show only
    /// under its other threads): the mapping is a hold.
    /// </summary>
    [RootFact]
    public void A_copy_of_the_lock_descriptor_mapped_by_a_process_whose_main_thread_exited_keeps_it()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        var judged = DeadSegments.Judge(stale);
        HeldSegment? taker = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options())
            {
                AfterQuarantine = batch =>
                {
                    var (dir, _, parked) = Assert.Single(batch);
                    int lockFd = Directory.GetFiles("/proc/self/fd")
                        .Select(f => (Fd: int.Parse(Path.GetFileName(f)), Target: new FileInfo(f).LinkTarget))
                        .Single(x => x.Target == Path.Combine(dir, parked)).Fd;
                    taker = HeldSegment.StartWith(NativeBuild.Program("leader_exits.c"), ["grab", Environment.ProcessId.ToString(), lockFd.ToString()]);
                    Assert.True(SpinWait.SpinUntil(() => File.ReadAllText($"/proc/{taker.Pid}/maps").Length == 0, 5000), "the taker's main thread exited");
                },
            };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal($"at removal: held by pid {taker!.Pid} via map; put back under its name", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            taker?.Dispose();
            TestHost.Remove(stale);
        }
    }

    private const string GetFd =
        "import ctypes,json,os,sys\n" +
        "libc=ctypes.CDLL(None,use_errno=True)\n" +
        "libc.syscall.restype=ctypes.c_long\n" +
        "pidfd=os.pidfd_open(int(sys.argv[1]))\n" +
        "fd=libc.syscall(438,pidfd,int(sys.argv[2]),0)\n" +
        "print(json.dumps({'pid':os.getpid(),'fd':fd}),flush=True)\n" +
        "sys.stdin.read()\n";
}
