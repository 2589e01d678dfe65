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
        using var run = CleanWhileParked(_ => Of(ForkedChild.Start(execAfterMs: 15)));
        Assert.True(run.Record.Action == CleanupAction.Removed, $"{run.Record.Action}: {run.Record.Reason}");
        Assert.False(File.Exists("/dev/shm/" + run.Stale));
        Assert.Empty(DeadSegments.ParkedOf(run.Stale));
    }

    /// <summary>A copy is a hold the lease cannot see: one that stays keeps the segment, however long it is waited for.</summary>
    [Fact]
    public void A_child_forked_while_the_segment_is_parked_that_keeps_the_copy_keeps_it()
    {
        using var run = CleanWhileParked(_ => Of(ForkedChild.Start()));
        AssertKept(run, "fd");
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
        using var run = CleanWhileParked(parked => Of(ForkedChild.Start(parked, flags, atFd)));
        AssertKept(run, "fd");
    }

    /// <summary>A copy of the lock descriptor taken by another program (pidfd_getfd, as root may) is a hold.</summary>
    [RootFact]
    public void A_copy_of_the_lock_descriptor_taken_by_another_program_keeps_it()
    {
        int taken = -1;
        using var run = CleanWhileParked(parked =>
        {
            var grabber = HeldSegment.StartWith("python3", ["-c", GetFd, Environment.ProcessId.ToString(), LockDescriptorOf(parked).ToString()]);
            taken = grabber.InfoInt("fd");
            return Of(grabber);
        });
        Assert.True(taken >= 0, "pidfd_getfd failed");
        AssertKept(run, "fd");
    }

    /// <summary>
    /// The copy taken, mapped and closed, and the taker's main thread gone (its maps then show only
    /// under its other threads): the mapping is a hold.
    /// </summary>
    [RootFact]
    public void A_copy_of_the_lock_descriptor_mapped_by_a_process_whose_main_thread_exited_keeps_it()
    {
        using var run = CleanWhileParked(parked =>
        {
            var taker = HeldSegment.StartWith(NativeBuild.Program("leader_exits.c"), ["grab", Environment.ProcessId.ToString(), LockDescriptorOf(parked).ToString()]);
            Assert.True(SpinWait.SpinUntil(() => File.ReadAllText($"/proc/{taker.Pid}/maps").Length == 0, 5000), "the taker's main thread exited");
            return Of(taker);
        });
        AssertKept(run, "map");
    }

    /// <summary>One stale segment's cleanup, and the process started while it was parked; disposing ends both.</summary>
    private sealed record Run(string Stale, RemovalRecord Record, int Pid, IDisposable Started) : IDisposable
    {
        public void Dispose()
        {
            Started.Dispose();
            TestHost.Remove(Stale);
        }
    }

    private static (IDisposable, int) Of(ForkedChild c) => (c, c.Pid);

    private static (IDisposable, int) Of(HeldSegment h) => (h, h.Pid);

    /// <summary>One stale segment cleaned, with <paramref name="atParked"/> started (given the parked path) while it is parked.</summary>
    private static Run CleanWhileParked(Func<string, (IDisposable Process, int Pid)> atParked)
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        (IDisposable Process, int Pid)? started = null;
        try
        {
            var judged = DeadSegments.Judge(stale);
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options())
            {
                AfterQuarantine = batch =>
                {
                    var (dir, _, parked) = Assert.Single(batch);
                    started = atParked(Path.Combine(dir, parked));
                },
            };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.NotNull(started);
            return new Run(stale, r, started.Value.Pid, started.Value.Process);
        }
        catch
        {
            started?.Process.Dispose();
            TestHost.Remove(stale);
            throw;
        }
    }

    private static void AssertKept(Run run, string via)
    {
        Assert.Equal(CleanupAction.Kept, run.Record.Action);
        Assert.Equal(Verdict.Live, run.Record.Verdict);
        Assert.Equal($"at removal: held by pid {run.Pid} via {via}; put back under its name", run.Record.Reason);
        Assert.True(File.Exists("/dev/shm/" + run.Stale));
    }

    /// <summary>The cleaner's own descriptor of the parked file (its lock), found in /proc/self/fd.</summary>
    private static int LockDescriptorOf(string parkedPath) =>
        Directory.GetFiles("/proc/self/fd")
            .Select(f => (Fd: int.Parse(Path.GetFileName(f)), Target: new FileInfo(f).LinkTarget))
            .Single(x => x.Target == parkedPath).Fd;

    private const string GetFd =
        "import ctypes,json,os,sys\n" +
        "libc=ctypes.CDLL(None,use_errno=True)\n" +
        "libc.syscall.restype=ctypes.c_long\n" +
        "pidfd=os.pidfd_open(int(sys.argv[1]))\n" +
        "fd=libc.syscall(438,pidfd,int(sys.argv[2]),0)\n" +
        "print(json.dumps({'pid':os.getpid(),'fd':fd}),flush=True)\n" +
        "sys.stdin.read()\n";
}
