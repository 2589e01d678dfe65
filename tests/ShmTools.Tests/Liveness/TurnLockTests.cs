using System.Diagnostics;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

using ShmTools.Core.Liveness;
using ShmTools.Tests.Cleanup;

namespace ShmTools.Tests.Liveness;

/// <summary>
/// Checks and cleanups of one directory take turns (judging, removing), so nobody's looking
/// changes what another judges, and a lock that someone keeps taken delays them by a bounded
/// time, never stops them. Each test works in its own directory on the tmpfs, so the other
/// tests' checks never wait on it.
/// They run alone, after the parallel tests: beside them, the two-checks test once found every
/// lease refused (the cause was not found), and never when run on its own.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class TurnLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory($"/dev/shm/locktest-{Guid.NewGuid():N}").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private InventorySources Sources => InventorySources.System with { ShmDirectory = _dir };

    /// <summary>
    /// Only this test's files: a scan of the directory also reports files other tests hold on
    /// the same tmpfs (unlisted) and every System V segment, which a cleanup here must not touch.
    /// </summary>
    private readonly long _tag = DeadSegments.Tag();

    private ShmQuery Mine(TimeSpan turnWait) => new() { Names = [$"torch_*_{_tag}*", $"hs{_tag}-*"], Kinds = [SegmentKind.Posix], TurnWait = turnWait };

    private IReadOnlyList<string> MakeStale(int count)
    {
        int dead = DeadSegments.DeadPid();
        var names = Enumerable.Range(1, count).Select(i => $"torch_{dead}_{_tag}{i}_0").ToList();
        foreach (var n in names) File.WriteAllBytes(Path.Combine(_dir, n), new byte[4096]);
        return names;
    }

    private (CleanupReport Report, List<string> Notes, TimeSpan Took) Clean(TimeSpan lockWait)
    {
        var notes = new List<string>();
        using var cleaner = new StaleSegmentCleaner(DeadSegments.Options() with { Liveness = DeadSegments.Liveness with { LockWait = lockWait } }, Sources) { Notify = notes.Add };
        var clock = Stopwatch.StartNew();
        var scan = new ShmInventory(Sources).Scan(Mine(lockWait));
        notes.AddRange(scan.Warnings.Where(w => w.Contains("checks and cleanups")));
        var report = cleaner.Run(CleanupInput.Of(scan.Segments), CleanupApprover.ApproveAll);
        return (report, notes, clock.Elapsed);
    }

    /// <summary>Another process holding an exclusive flock on the directory (this test's, unless named) for <paramref name="seconds"/>.</summary>
    private Process HoldLock(double seconds, string? directory = null)
    {
        var psi = new ProcessStartInfo("python3", ["-c",
            "import fcntl,os,sys,time\n" +
            "fd=os.open(sys.argv[1],os.O_RDONLY|os.O_DIRECTORY)\n" +
            "fcntl.flock(fd,fcntl.LOCK_EX)\n" +
            "print('ready',flush=True)\n" +
            "time.sleep(float(sys.argv[2]))\n", directory ?? _dir, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        { RedirectStandardOutput = true };
        var p = Process.Start(psi)!;
        Assert.Equal("ready", p.StandardOutput.ReadLine());
        return p;
    }

    [RootFact]
    public void A_lock_kept_taken_delays_the_cleanup_by_one_wait_and_names_the_holder_but_never_stops_it()
    {
        var stale = MakeStale(20);
        using var holder = HoldLock(60);
        try
        {
            var (report, notes, took) = Clean(TimeSpan.FromMilliseconds(400));
            Assert.True(stale.ToHashSet().SetEquals(report.Removed.Select(r => r.Name)),
                string.Join("; ", report.Records.Select(r => $"{r.Name}: {r.Action} {r.Reason}")));
            Assert.Empty(Directory.GetFiles(_dir));
            // The scan waited once, went on without the lock and said so; judging and removing
            // went on without it too, neither waiting nor saying so again.
            Assert.Equal(2, notes.Count);
            Assert.All(notes, n => Assert.Contains($"held by pid {holder.Id}", n));
            Assert.Contains("waiting up to 400 ms for it before reading /dev/shm and /proc", notes[0]);
            Assert.Contains("for checks and cleanups is still taken (held by pid " + holder.Id + ") after 400 ms: reading /dev/shm and /proc without it", notes[1]);
            Assert.InRange(took, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    /// <summary>
    /// One directory reached by two paths (this host's, and /proc/PID/root/... of a process whose
    /// root is this host's) is one turn: the thread holding it does not wait on its own flock.
    /// </summary>
    [RootFact]
    public void One_directory_reached_by_two_paths_is_one_turn_and_its_holder_never_waits_on_itself()
    {
        string other = $"/proc/{Environment.ProcessId}/root{_dir}";
        var notes = new List<string>();
        using (var outer = TurnLock.TakeDirectories([_dir], "cleaning", TimeSpan.FromSeconds(5), notes.Add, default))
        {
            Assert.Equal("taken", DirectoryLockProbe.State(_dir));
            var clock = Stopwatch.StartNew();
            using (var inner = TurnLock.TakeDirectories([other, _dir], "judging", TimeSpan.FromSeconds(5), notes.Add, default))
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"waited {clock.Elapsed} on its own turn");
            Assert.Empty(notes);
            Assert.Equal("taken", DirectoryLockProbe.State(_dir)); // the outer take still holds it
        }
        Assert.Equal("free", DirectoryLockProbe.State(_dir));
    }

    /// <summary>
    /// Two takers of the same two directories, each knowing them by other paths (the host's and a
    /// container's view of one tmpfs), lock them in one order, so neither ever holds one while
    /// waiting for the other's. Each round an outside holder keeps the second directory for a
    /// moment, so both takers are waiting when it lets go; in path order, half such rounds ended
    /// with each taker holding one directory and waiting on the other.
    /// </summary>
    [RootFact]
    public void Two_takers_knowing_two_directories_by_other_paths_never_wait_on_each_other_crosswise()
    {
        string second = Directory.CreateDirectory(_dir + "-second").FullName;
        try
        {
            string Via(string d) => $"/proc/{Environment.ProcessId}/root{d}";
            var notes = new System.Collections.Concurrent.ConcurrentQueue<string>();
            void Take(string[] dirs)
            {
                using var turn = TurnLock.TakeDirectories(dirs, "judging", TimeSpan.FromSeconds(2), notes.Enqueue, default);
                Thread.Sleep(50);
            }
            var clock = Stopwatch.StartNew();
            for (int round = 0; round < 8; round++)
            {
                using var holder = HoldLock(0.2, second);
                var a = new Thread(() => Take([_dir, Via(second)]));
                var b = new Thread(() => Take([second, Via(_dir)]));
                a.Start(); b.Start(); a.Join(); b.Join();
                holder.WaitForExit();
            }
            Assert.DoesNotContain(notes, n => n.Contains("still taken", StringComparison.Ordinal));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}: {string.Join(" | ", notes)}");
        }
        finally
        {
            Directory.Delete(second, recursive: true);
        }
    }

    /// <summary>
    /// A scan lent a listener tells it of the wait for its turn as the wait begins (the other
    /// process still holds the turn then), and keeps the same words among its warnings, for
    /// output that lists them; a capacity scan does the same.
    /// </summary>
    [RootFact]
    public void A_scan_tells_its_listener_of_the_wait_as_it_begins_and_keeps_the_words_among_its_warnings()
    {
        MakeStale(2);
        using var holder = HoldLock(1.5);
        var told = new List<(string Words, bool HolderRunning)>();
        var scan = new ShmInventory(Sources).Scan(Mine(TimeSpan.FromSeconds(10)) with { Notify = w => told.Add((w, !holder.HasExited)) });
        var (words, running) = Assert.Single(told);
        Assert.True(running, "told only once the holder had let go");
        Assert.Contains($"(held by pid {holder.Id})", words);
        Assert.Contains(words, scan.Warnings);
        holder.WaitForExit();

        using var again = HoldLock(1.5);
        var toldUsage = new List<string>();
        var usage = new ShmTools.Core.Capacity.ShmUsageScanner().Scan(new ShmTools.Core.Capacity.UsageQuery
        {
            Sources = Sources, Liveness = DeadSegments.Liveness with { LockWait = TimeSpan.FromSeconds(10) }, Notify = toldUsage.Add,
        });
        Assert.Contains(toldUsage, w => w.Contains($"(held by pid {again.Id})"));
        Assert.All(toldUsage, w => Assert.True(usage.Inventory.Warnings.Contains(w) || usage.Warnings.Contains(w), w));
    }

    /// <summary>
    /// Giving up on the turn names the process that holds it then: the one that held it when the
    /// wait began may have let go to another.
    /// </summary>
    [RootFact]
    public void Giving_up_on_the_turn_names_the_process_that_holds_it_then()
    {
        // Two processes share the lock (no handover race): the first lets go after 0.6 s, the second keeps it.
        Process Share(double seconds)
        {
            var p = Process.Start(new ProcessStartInfo("python3", ["-c",
                "import fcntl,os,sys,time\nfd=os.open(sys.argv[1],os.O_RDONLY|os.O_DIRECTORY)\nfcntl.flock(fd,fcntl.LOCK_SH)\nprint('ready',flush=True)\ntime.sleep(float(sys.argv[2]))\n",
                _dir, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true })!;
            Assert.Equal("ready", p.StandardOutput.ReadLine());
            return p;
        }
        using var second = Share(30);
        using var first = Share(0.6);
        try
        {
            var notes = new List<string>();
            using (TurnLock.TakeDirectories([_dir], "judging", TimeSpan.FromSeconds(1.5), notes.Add, default)) { }
            Assert.True(notes.Count == 2, string.Join(" | ", notes));
            int[] Named(string note) => System.Text.RegularExpressions.Regex.Match(note, @"\(held by pid ([0-9, ]+)\)").Groups[1].Value
                .Split(", ").Select(int.Parse).Order().ToArray();
            Assert.Equal(new[] { first.Id, second.Id }.Order(), Named(notes[0]));
            Assert.Contains($"is still taken (held by pid {second.Id}) after 1.5 s", notes[1]);
        }
        finally
        {
            second.Kill();
            second.WaitForExit();
            first.WaitForExit();
        }
    }

    /// <summary>
    /// A listener that throws when told of the wait (a pipeline told to stop on a warning) stops
    /// the take, and the take leaves no descriptor of the directory open: nothing else would
    /// ever close it.
    /// </summary>
    [RootFact]
    public void A_listener_that_throws_at_the_wait_stops_the_take_and_leaves_the_directory_closed()
    {
        using var holder = HoldLock(30);
        try
        {
            // Every entry: GetFiles would leave out the links to directories.
            int Open() => Directory.GetFileSystemEntries("/proc/self/fd").Count(fd => Posix.ReadLink(fd) == _dir);
            int before = Open();
            var clock = Stopwatch.StartNew();
            var thrown = Assert.Throws<InvalidOperationException>(() =>
                TurnLock.TakeDirectories([_dir], "judging", TimeSpan.FromSeconds(20), _ => throw new InvalidOperationException("stop"), default));
            Assert.Equal("stop", thrown.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the take went on waiting ({clock.Elapsed})");
            Assert.Equal(before, Open());
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    [RootFact]
    public void A_cleanup_waits_for_the_lock_to_be_let_go_and_then_takes_it()
    {
        var stale = MakeStale(5);
        using var holder = HoldLock(0.5);
        var (report, notes, took) = Clean(TimeSpan.FromSeconds(30));
        Assert.True(stale.ToHashSet().SetEquals(report.Removed.Select(r => r.Name)));
        var waited = Assert.Single(notes);
        Assert.Contains("for checks and cleanups is taken", waited);
        Assert.True(took >= TimeSpan.FromMilliseconds(300) && took < TimeSpan.FromSeconds(20), $"took {took}");
        holder.WaitForExit();
    }

    [RootFact]
    public void Two_cleanups_at_once_in_one_directory_take_turns_and_remove_each_stale_segment_once()
    {
        var stale = MakeStale(300);
        var runs = new[] { 0, 1 }.AsParallel().WithDegreeOfParallelism(2).Select(_ => Clean(TimeSpan.FromSeconds(30))).ToList();
        var removed = runs.SelectMany(r => r.Report.Removed.Select(x => x.Name)).ToList();
        Assert.Equal(removed.Count, removed.Distinct().Count());
        Assert.True(stale.ToHashSet().SetEquals(removed), $"removed {runs[0].Report.Removed.Count()} + {runs[1].Report.Removed.Count()} of {stale.Count}: " +
            string.Join("; ", runs.SelectMany(r => r.Report.Kept).Take(5).Select(r => $"{r.Name}: {r.Reason}")));
        Assert.All(runs, r => Assert.Empty(r.Report.Failed));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    /// <summary>
    /// Segments with a handshake header whose owner is dead: a probe keeps them open through the
    /// whole handshake wait. A second check at the same time would find them open elsewhere (the
    /// kernel refuses it a lease) and call them Live; taking turns, both see them Stale.
    /// </summary>
    [RootFact]
    public void Two_checks_at_once_take_turns_and_neither_sees_the_other_s_probes_as_holders()
    {
        int dead = DeadSegments.DeadPid();
        var names = Enumerable.Range(1, 30).Select(i => $"hs{_tag}-{i}").ToList();
        foreach (var n in names) File.WriteAllBytes(Path.Combine(_dir, n), Header(dead));
        var options = DeadSegments.Liveness with { LockWait = TimeSpan.FromSeconds(30) };
        var notes = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Both start at once, so the second overlaps the first's handshake wait.
        using var start = new Barrier(2);
        var runs = new IReadOnlyList<LivenessResult>[2];
        var threads = Enumerable.Range(0, 2).Select(k => new Thread(() =>
        {
            start.SignalAndWait();
            // The scan that judging follows takes its turn too: the other's open probes are no holders.
            var scan = new ShmInventory(Sources).Scan(Mine(options.LockWait));
            foreach (var w in scan.Warnings) notes.Add(w);
            runs[k] = new LivenessChecker(options) { Notify = notes.Add }.Check(scan.Segments);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        foreach (var all in runs)
        {
            // Files other tests hold on the same tmpfs show up as unlisted segments: only ours count.
            var results = all.Where(r => r.Path.StartsWith(_dir + "/", StringComparison.Ordinal)).ToList();
            Assert.Equal(names.Count, results.Count);
            Assert.All(results, r => Assert.True(r.Verdict == Verdict.Stale, $"{r.Name}: {r.Verdict} ({r.Reason})"));
        }
        Assert.Contains(notes, n => n.Contains("for checks and cleanups is taken"));
    }

    /// <summary>A lease header (docs/lease-protocol.md) naming <paramref name="ownerPid"/> as its owner, state ALIVE, in a 4 KiB file.</summary>
    private static byte[] Header(int ownerPid)
    {
        var b = new byte[4096];
        "SHMLEASE"u8.CopyTo(b);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), ownerPid);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), 1);
        return b;
    }

    [Fact]
    public void Proc_locks_lines_name_the_holders_of_one_kind_on_one_file()
    {
        string[] lines =
        [
            "1: FLOCK  ADVISORY  WRITE 3270 00:1b:4 0 EOF",
            "1: -> FLOCK  ADVISORY  WRITE 3300 00:1b:4 0 EOF",
            "2: OFDLCK ADVISORY  READ  -1 00:1b:4 0 EOF",
            "3: FLOCK  ADVISORY  WRITE 3271 00:1c:4 0 EOF",
            "4: FLOCK  ADVISORY  WRITE 3272 00:1b:40 0 EOF",
            "5: FLOCK  ADVISORY  READ  3273 fd:01:4 0 EOF",
            "garbage",
            "6: FLOCK  ADVISORY  WRITE x 00:1b:4 0 EOF",
        ];
        Assert.Equal([3270], ProcLocks.Holders(lines, new DeviceId(0, 0x1b), 4, "FLOCK"));
        Assert.Equal([3273], ProcLocks.Holders(lines, new DeviceId(0xfd, 1), 4, "FLOCK"));
        Assert.Empty(ProcLocks.Holders(lines, new DeviceId(0, 0x1b), 4, "POSIX"));
    }
}
