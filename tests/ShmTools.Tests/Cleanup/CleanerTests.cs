using System.Runtime.InteropServices;
using System.Text.Json;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>Removes what is stale and never anything live, against real holders and dead owners.</summary>
public sealed class CleanerTests
{
    private static CleanupOptions Options(string? log = null) => new()
    {
        LogPath = log,
        Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(300)),
    };

    /// <summary>A cleanup that approves every candidate, as <c>clean --yes</c> does.</summary>
    private static CleanupReport Run(StaleSegmentCleaner cleaner, IReadOnlyList<ShmSegment> segments) =>
        cleaner.Run(CleanupInput.Of(segments), CleanupApprover.ApproveAll);

    private static CleanupReport Run(StaleSegmentCleaner cleaner, IReadOnlyList<LivenessResult> judged) =>
        cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll);

    private static IReadOnlyList<LivenessResult> Judge(IReadOnlyList<ShmSegment> segments) =>
        new LivenessChecker(Options().Liveness).Check(segments);

    private static IReadOnlyList<ShmSegment> Scan(string prefix) =>
        new ShmInventory().Scan(new ShmQuery { Names = [prefix + "*"] }).Segments;

    /// <summary>A PyTorch-style segment (torch_PID_TAG_0) whose creator has exited: stale by its owner.</summary>
    private static string Dead(long tag, long size = 8192)
    {
        var p = HeldSegment.Start("idle");
        int pid = p.Pid;
        p.Dispose();
        string name = $"torch_{pid}_{tag}_0";
        File.WriteAllBytes("/dev/shm/" + name, Enumerable.Repeat((byte)7, (int)size).ToArray());
        return name;
    }

    private static long Tag() => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    /// <summary>A segment with a handshake header whose owner was SIGKILLed: stale by the handshake.</summary>
    private static string Killed(string name)
    {
        var p = HeldSegment.Participant("posix", name, "4096", "--respond");
        p.Kill();
        p.Dispose();
        return name;
    }

    [Fact]
    public void Live_holders_of_every_kind_survive_and_stale_ones_go()
    {
        // A letter first: an all-digit tag would read as a pid in torch_<pid>_<n> and change the judgement.
        string tag = "torch_x" + Guid.NewGuid().ToString("N")[..6];
        using var mapped = HeldSegment.Start("file", "/dev/shm", tag + "_map", "65536", "map");
        using var fd = HeldSegment.Start("file", "/dev/shm", tag + "_fd", "65536", "fd");
        using var lease = HeldSegment.Participant("posix", tag + "_lease", "4096", "--lock", "--unmap");
        using var hs = HeldSegment.Participant("posix", tag + "_hs", "4096", "--respond");
        using var alive = HeldSegment.Start("idle");
        File.WriteAllBytes($"/dev/shm/{tag}_{alive.Pid}_1", new byte[4096]);
        Killed(tag + "_killed");
        long num = Tag();
        string dead2 = Dead(num);
        IReadOnlyList<ShmSegment> ScanAll() => new ShmInventory().Scan(new ShmQuery { Names = [tag + "*", $"torch_*_{num}_0"] }).Segments;
        var before = ScanAll().ToDictionary(s => s.Name);
        try
        {
            using var cleaner = new StaleSegmentCleaner(Options());
            var report = Run(cleaner, ScanAll());
            Assert.True(new[] { tag + "_killed", dead2 }.Order().SequenceEqual(report.Removed.Select(r => r.Name).Order()),
                string.Join("; ", report.Records.Select(r => $"{r.Name}: {r.Action} {r.Verdict} {r.Reason} {r.Error}")));
            Assert.All(report.Removed, r => Assert.Equal(CleanupAction.Removed, r.Action));
            Assert.Equal(2, report.Removed.Count());
            Assert.True(report.BytesFreed >= 8192);
            var after = ScanAll().ToDictionary(s => s.Name);
            foreach (var live in new[] { tag + "_map", tag + "_fd", tag + "_lease", tag + "_hs", $"{tag}_{alive.Pid}_1" })
            {
                Assert.True(after.ContainsKey(live), live + " was removed");
                Assert.Equal(before[live].Inode, after[live].Inode);
                Assert.Equal(before[live].SizeBytes, after[live].SizeBytes);
            }
            Assert.False(after.ContainsKey(tag + "_killed"));
            Assert.False(after.ContainsKey(dead2));
            Assert.Equal(1, File.ReadAllBytes($"/dev/shm/{tag}_map")[0]); // content intact
        }
        finally
        {
            TestHost.Remove(tag + "_lease", tag + "_hs", $"{tag}_{alive.Pid}_1", tag + "_killed", dead2);
        }
    }

    [Fact]
    public void A_dry_run_removes_nothing_and_says_what_it_would()
    {
        string stale = Dead(Tag());
        try
        {
            using var cleaner = new StaleSegmentCleaner(Options());
            var report = cleaner.Run(CleanupInput.Of(Scan(stale)), CleanupApprover.PreviewAll);
            var r = Assert.Single(report.Removed);
            Assert.Equal(CleanupAction.WouldRemove, r.Action);
            Assert.True(File.Exists("/dev/shm/" + stale));
            Assert.True(report.DryRun);
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void Orphans_go_only_with_IncludeOrphaned_and_OlderThan()
    {
        string name = Unique.Name("orphan");
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        Thread.Sleep(1200);
        var liveness = TestHost.Liveness(orphanAge: TimeSpan.FromSeconds(1));
        try
        {
            using (var c = new StaleSegmentCleaner(Options() with { Liveness = liveness }))
                Assert.Contains("orphaned", Assert.Single(Run(c, Scan(name)).Kept).Reason);
            var refused = Assert.Throws<CleanupOptionsException>(() => new StaleSegmentCleaner(Options() with { Liveness = liveness, IncludeOrphaned = true }));
            Assert.Equal("OrphanedNeedsOlderThan", refused.ErrorId);
            using (var c = new StaleSegmentCleaner(Options() with { Liveness = liveness, IncludeOrphaned = true, OlderThan = TimeSpan.FromHours(1) }))
                Assert.Contains("more recently than", Assert.Single(Run(c, Scan(name)).Kept).Reason);
            Assert.True(File.Exists("/dev/shm/" + name));
            using (var c = new StaleSegmentCleaner(Options() with { Liveness = liveness, IncludeOrphaned = true, OlderThan = TimeSpan.FromSeconds(1) }))
            {
                var report = Run(c, Scan(name));
                Assert.True(report.Removed.Count() == 1, string.Join("; ", report.Records.Select(r => $"{r.Action} {r.Verdict} {r.Reason} {r.Error}")));
            }
            Assert.False(File.Exists("/dev/shm/" + name));
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void Other_users_segments_need_AllUsers()
    {
        string stale = Dead(Tag());
        Assert.Equal(0, chown("/dev/shm/" + stale, 65534, 65534));
        try
        {
            using (var c = new StaleSegmentCleaner(Options()))
                Assert.Contains("AllUsers", Assert.Single(Run(c, Scan(stale)).Kept).Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
            using (var c = new StaleSegmentCleaner(Options() with { AllUsers = true }))
                Assert.Single(Run(c, Scan(stale)).Removed);
            Assert.False(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void A_file_swapped_between_check_and_removal_is_kept()
    {
        string stale = Dead(Tag());
        try
        {
            using var cleaner = new StaleSegmentCleaner(Options());
            var judged = Judge(Scan(stale));
            Assert.Equal(Verdict.Stale, Assert.Single(judged).Verdict);
            File.Delete("/dev/shm/" + stale);
            File.WriteAllText("/dev/shm/" + stale, "a different file under the same name");
            var r = Assert.Single(Run(cleaner, judged).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Contains("replaced", r.Reason);
            Assert.Equal("a different file under the same name", File.ReadAllText("/dev/shm/" + stale));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void A_segment_that_gains_a_writing_holder_after_the_check_is_kept()
    {
        string stale = Dead(Tag());
        try
        {
            using var cleaner = new StaleSegmentCleaner(Options());
            var judged = Judge(Scan(stale));
            using var late = HeldSegment.StartWith("python3", [HeldSegment.HelperPath, "file", "/dev/shm", stale, "8192", "map"]);
            var r = Assert.Single(Run(cleaner, judged).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.StartsWith("at removal: ", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void Hostile_entries_are_never_followed_and_odd_names_are_handled()
    {
        // A letter first: an all-digit tag would read as a pid in torch_<pid>_<n> and change the judgement.
        string tag = "torch_x" + Guid.NewGuid().ToString("N")[..6];
        var outside = Path.Combine(Path.GetTempPath(), tag + "-outside");
        File.WriteAllText(outside, "precious");
        string link = $"/dev/shm/{tag}_link_999999";
        File.CreateSymbolicLink(link, outside);
        Directory.CreateDirectory($"/dev/shm/{tag}_dir_999999");
        Assert.Equal(0, mkfifo($"/dev/shm/{tag}_fifo_999999", Convert.ToUInt32("600", 8)));
        long num = Tag();
        string hard1 = Dead(num);
        Assert.Equal(0, HardLink("/dev/shm/" + hard1, $"/dev/shm/{tag}_hardtwin"));
        string spaced = Killed(tag + "_with space\nand (deleted) newline");
        try
        {
            using var cleaner = new StaleSegmentCleaner(Options());
            var report = Run(cleaner, new ShmInventory().Scan(new ShmQuery { Names = [tag + "*", $"torch_*_{num}_0"] }).Segments);
            Assert.Equal("precious", File.ReadAllText(outside));
            Assert.True(File.Exists(outside));
            Assert.True(Directory.Exists($"/dev/shm/{tag}_dir_999999"));
            Assert.True(new FileInfo(link).LinkTarget == outside);
            Assert.Contains(report.Kept, k => k.Name == hard1 && k.Reason.Contains("2 names"));
            Assert.True(File.Exists("/dev/shm/" + hard1));
            Assert.Contains(report.Removed, r => r.Name == spaced && r.Action == CleanupAction.Removed);
            Assert.False(File.Exists("/dev/shm/" + spaced));
            Assert.DoesNotContain(report.Records, r => r.Path.Contains("_link_") || r.Path.Contains("_dir_") || r.Path.Contains("_fifo_"));
            Assert.Empty(DeadSegments.ParkedOf(hard1, tag + "_hardtwin", spaced));
        }
        finally
        {
            File.Delete(link);
            File.Delete($"/dev/shm/{tag}_fifo_999999");
            Directory.Delete($"/dev/shm/{tag}_dir_999999");
            File.Delete(outside);
            TestHost.Remove(hard1, tag + "_hardtwin", spaced);
        }
    }

    [Fact]
    public void Stale_SysV_is_removed_with_IPC_RMID_and_attached_SysV_is_kept()
    {
        int staleKey = Unique.SysVKey(), liveKey = Unique.SysVKey();
        var dead = HeldSegment.Participant("sysv", staleKey.ToString(), "4096", "--detach");
        int staleId = dead.InfoInt("shmid");
        dead.Kill();
        dead.Dispose();
        using var live = HeldSegment.Start("sysv", liveKey.ToString(), "8192");
        string staleName = "0x" + staleKey.ToString("x8"), liveName = "0x" + liveKey.ToString("x8");
        try
        {
            var segments = new ShmInventory().Scan(new ShmQuery { Names = [staleName, liveName] }).Segments;
            using var cleaner = new StaleSegmentCleaner(Options());
            var report = Run(cleaner, segments);
            Assert.Equal(staleName, Assert.Single(report.Removed).Name);
            Assert.Equal(liveName, Assert.Single(report.Kept).Name);
            // Compare the shmid column, not text: on a fresh machine the shmid is 0 or 1, which
            // is also a substring of every row's other columns.
            var left = KernelSysVTable.Shmids();
            Assert.DoesNotContain(staleId, left);
            Assert.Contains(live.InfoInt("shmid"), left);
        }
        finally
        {
            ShmTools.Core.Native.SysVControl.Remove(staleId);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink(string from, string to);

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, uint owner, uint group);
}
