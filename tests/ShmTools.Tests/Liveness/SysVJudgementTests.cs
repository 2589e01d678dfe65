using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>
/// System V segments are judged from the kernel's table alone, and known by their shmid: real
/// segments left behind by real processes, facts read back from /proc/sysvipc/shm directly.
/// </summary>
public sealed class SysVJudgementTests
{
    private static CleanupOptions Options() => new() { Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(300)) };

    /// <summary>A segment whose creator attached, wrote, detached and exited: stale, nattch 0.</summary>
    private static int LeftBehind(int key, int size)
    {
        var p = HeldSegment.Start("sysv-leave", key.ToString(), size.ToString());
        int shmid = p.InfoInt("shmid");
        p.Dispose();
        return shmid;
    }

    private static (string atime, string dtime, string lpid, string nattch) Facts(int shmid)
    {
        var row = KernelSysVTable.Row(shmid) ?? throw new InvalidOperationException($"shmid {shmid} is gone");
        return (row["atime"], row["dtime"], row["lpid"], row["nattch"]);
    }

    [Fact]
    public void Checking_a_stale_segment_twice_changes_none_of_its_kernel_facts_and_it_is_removed()
    {
        int key = Unique.SysVKey();
        int shmid = LeftBehind(key, 65536); // far above the 64-byte header size the old probe attached for
        try
        {
            var before = Facts(shmid);
            string name = SysVNames.Of(key, shmid);
            var first = TestHost.Check(name);
            var second = TestHost.Check(name);
            Assert.Equal(before, Facts(shmid));
            Assert.Equal((Verdict.Stale, Verdict.Stale), (first.Verdict, second.Verdict));
            Assert.Equal(first.Segment.Accessed, second.Segment.Accessed);
            Assert.Equal(first.Segment.LastPid, second.Segment.LastPid);
            Assert.NotEqual(Environment.ProcessId, second.Segment.LastPid);
            Assert.Contains(second.Evidence, e => e.Finding.Contains("never attached"));

            using var cleaner = new StaleSegmentCleaner(Options());
            var report = cleaner.Run(CleanupInput.Of(new ShmInventory().Scan(new ShmQuery { ExactNames = new HashSet<string> { name } }).Segments), CleanupApprover.ApproveAll);
            Assert.Equal(name, Assert.Single(report.Removed).Name);
            Assert.Null(KernelSysVTable.Row(shmid));
        }
        finally
        {
            SysVControl.Remove(shmid);
        }
    }

    [Fact]
    public void An_old_unowned_segment_stays_orphaned_with_the_same_age_however_often_it_is_checked()
    {
        // Seen from a pid namespace that does not hold its creator, a segment's cpid and lpid are 0:
        // owner unknown, judged by age. Looking must not restart that age.
        int key = Unique.SysVKey();
        int shmid = LeftBehind(key, 8192);
        try
        {
            var seg = TestHost.Segment(SysVNames.Of(key, shmid)) with { CreatorPid = 0, LastPid = 0, OwnerPidHint = null };
            var options = TestHost.Liveness(orphanAge: TimeSpan.Zero);
            var before = Facts(shmid);
            var a = new LivenessChecker(options).Check([seg])[0];
            var again = TestHost.Segment(SysVNames.Of(key, shmid)) with { CreatorPid = 0, LastPid = 0, OwnerPidHint = null };
            var b = new LivenessChecker(options).Check([again])[0];
            Assert.Equal((Verdict.Orphaned, Verdict.Orphaned), (a.Verdict, b.Verdict));
            Assert.Equal(before, Facts(shmid));
            Assert.Equal(seg.Accessed, again.Accessed);
            Assert.True(b.Idle >= a.Idle, $"idle went from {a.Idle} to {b.Idle}: the check restarted the age");
        }
        finally
        {
            SysVControl.Remove(shmid);
        }
    }

    [Fact]
    public void Ipc_private_segments_have_distinct_names_and_every_stale_one_goes_in_one_run()
    {
        var stale = Enumerable.Range(0, 3).Select(_ => LeftBehind(0, 4096)).ToList();
        using var live = HeldSegment.Start("sysv", "0", "8192");
        int liveId = live.InfoInt("shmid");
        try
        {
            var names = stale.Append(liveId).Select(id => SysVNames.Of(0, id)).ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
            Assert.All(names, n => Assert.StartsWith("0x00000000:", n));
            var segments = new ShmInventory().Scan(new ShmQuery { ExactNames = names.ToHashSet() }).Segments;
            Assert.Equal(names.Order(), segments.Select(s => s.Name).Order());
            Assert.All(segments, s => Assert.Equal("/SYSV00000000", s.Path)); // as /proc/PID/maps shows them ...
            Assert.All(segments, s => Assert.Equal($"/SYSV00000000 (shmid {s.SysVId})", s.DisplayPath)); // ... and as people are shown them
            Assert.Contains(names[0], SegmentNames.List());

            using var cleaner = new StaleSegmentCleaner(Options());
            var report = cleaner.Run(CleanupInput.Of(segments), CleanupApprover.ApproveAll);
            Assert.Equal(names.Take(3).Order(), report.Removed.Select(r => r.Name).Order());
            Assert.Equal(3, report.Removed.Select(r => r.DisplayPath).Distinct().Count());
            Assert.Equal(names[3], Assert.Single(report.Kept).Name);
            var left = KernelSysVTable.Shmids();
            Assert.All(stale, id => Assert.DoesNotContain(id, left));
            Assert.Contains(liveId, left);
        }
        finally
        {
            foreach (var id in stale) SysVControl.Remove(id);
        }
    }

    [Fact]
    public void A_name_filter_finds_a_segment_by_its_name_its_key_or_its_shmid()
    {
        int key = Unique.SysVKey();
        int shmid = LeftBehind(key, 4096);
        int privateId = LeftBehind(0, 4096);
        try
        {
            IReadOnlyList<int> Found(string pattern) =>
                new ShmInventory().Scan(new ShmQuery { Names = [pattern], Kinds = [SegmentKind.SysV] }).Segments.Select(s => s.SysVId!.Value).ToList();
            Assert.Equal([shmid], Found(SysVNames.KeyText(key)));
            Assert.Equal([shmid], Found(shmid.ToString()));
            Assert.Equal([privateId], Found("0x00000000:" + privateId));
            Assert.Equal([privateId], Found(privateId.ToString()));
            Assert.Contains(privateId, Found("0x00000000*"));
            Assert.DoesNotContain(shmid, Found("0x00000000*"));
            var seg = TestHost.Segment(SysVNames.Of(key, shmid));
            Assert.Equal("0x" + key.ToString("x8"), seg.SysVKeyHex);
        }
        finally
        {
            SysVControl.Remove(shmid);
            SysVControl.Remove(privateId);
        }
    }

    [Fact]
    public void Removal_refuses_a_shmid_whose_key_or_creation_time_is_not_the_judged_segments()
    {
        int key = Unique.SysVKey();
        int shmid = LeftBehind(key, 4096);
        try
        {
            var seg = TestHost.Segment(SysVNames.Of(key, shmid));
            // What a judged segment looks like when its shmid was since reused by another one.
            var older = seg with { Changed = seg.Changed!.Value.AddSeconds(-30) };
            Assert.Contains("now names another segment", SegmentRemover.RemoveSysV(older, out _, out bool failed));
            Assert.False(failed);
            var otherKey = seg with { SysVKey = key ^ 1 };
            Assert.Contains("now names another segment", SegmentRemover.RemoveSysV(otherKey, out _, out _));
            Assert.NotNull(KernelSysVTable.Row(shmid));

            Assert.Null(SegmentRemover.RemoveSysV(seg, out _, out _));
            Assert.Null(KernelSysVTable.Row(shmid));
            Assert.Equal("no longer exists", SegmentRemover.RemoveSysV(seg, out _, out _));
        }
        finally
        {
            SysVControl.Remove(shmid);
        }
    }

    [Fact]
    public void A_segment_attached_after_it_was_judged_is_kept_at_removal()
    {
        int key = Unique.SysVKey();
        int shmid = LeftBehind(key, 4096);
        try
        {
            var judged = TestHost.Segment(SysVNames.Of(key, shmid));
            Assert.Equal(0, judged.AttachCount);
            using var attacher = HeldSegment.Start("sysv", key.ToString(), "4096"); // shmget finds the key, attaches
            Assert.Equal(shmid, attacher.InfoInt("shmid"));
            Assert.Equal("attached 1 time(s) now", SegmentRemover.RemoveSysV(judged, out _, out bool failed));
            Assert.False(failed);
        }
        finally
        {
            SysVControl.Remove(shmid);
        }
    }

    [Fact]
    public void Ipc_stat_reads_the_same_facts_as_the_kernel_table()
    {
        int key = Unique.SysVKey();
        int shmid = LeftBehind(key, 12288);
        try
        {
            Assert.Equal(0, SysVControl.Stat(shmid, out var st));
            var row = KernelSysVTable.Row(shmid)!;
            Assert.Equal((row["key"], row["size"], row["cpid"], row["lpid"], row["nattch"], row["atime"], row["dtime"], row["ctime"], row["uid"]),
                (st.Key.ToString(), st.SizeBytes.ToString(), st.CreatorPid.ToString(), st.LastPid.ToString(), st.AttachCount.ToString(),
                 st.AttachTime.ToString(), st.DetachTime.ToString(), st.ChangeTime.ToString(), st.Uid.ToString()));
            Assert.Equal(Convert.ToUInt32(row["perms"], 8) & 0x1FF, st.Mode & 0x1FF);
            Assert.False(st.MarkedForRemoval);
            Assert.Equal(0, SysVControl.Remove(shmid));
            Assert.True(SysVControl.IsGone(SysVControl.Stat(shmid, out _)));
        }
        finally
        {
            SysVControl.Remove(shmid);
        }
    }
}
