using System.Diagnostics;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>Each rung of the evidence ladder, against real holders and real dead owners.</summary>
public sealed class LivenessLadderTests
{
    [Fact]
    public void A_mapping_holder_makes_it_live()
    {
        using var held = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "map");
        var r = TestHost.Check(held.Name!);
        Assert.Equal(Verdict.Live, r.Verdict);
        Assert.StartsWith($"held by pid {held.Pid} (", r.Reason); // whole number: pid 12 must not pass as 123
        Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.Attachment);
    }

    [Fact]
    public void A_descriptor_alone_makes_it_live()
    {
        using var held = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "fd");
        var r = TestHost.Check(held.Name!);
        Assert.Equal(Verdict.Live, r.Verdict);
        Assert.Contains("via fd", r.Reason);
    }

    [Fact]
    public void An_attached_SysV_segment_is_live_by_nattch()
    {
        int key = Unique.SysVKey();
        using var held = HeldSegment.Start("sysv", key.ToString(), "8192");
        var r = TestHost.Check("0x" + key.ToString("x8"));
        Assert.Equal(Verdict.Live, r.Verdict);
        Assert.Contains("nattch", r.Reason);
    }

    [Fact]
    public void A_lock_lease_makes_it_live_even_when_the_holder_is_invisible()
    {
        string name = Unique.Name("lease-lock");
        using var p = HeldSegment.Participant("posix", name, "4096", "--lock");
        try
        {
            // As a scanner inside a container would see it: the holder's process is not visible.
            var unseen = TestHost.Segment(name) with { Attachments = [] };
            var r = new LivenessChecker(TestHost.Liveness()).Check([unseen])[0];
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Equal("lock lease held (ofd)", r.Reason);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_python_participant_answers_the_handshake_so_it_is_live()
    {
        string name = Unique.Name("lease-hs");
        using var p = HeldSegment.Participant("posix", name, "4096", "--respond");
        try
        {
            var unseen = TestHost.Segment(name) with { Attachments = [] };
            var r = new LivenessChecker(TestHost.Liveness(TimeSpan.FromSeconds(3))).Check([unseen])[0];
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Equal("owner answered the handshake", r.Reason);
            Assert.Equal(p.Pid, r.OwnerPid);
            Assert.True(p.Finish().GetProperty("answered").GetInt32() >= 1, "the participant saw and answered the probe");
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void The_CSharp_lease_api_answers_probes_and_holds_the_lock()
    {
        string name = Unique.Name("lease-cs");
        using (var seg = LeasedSegment.Create(name, 4096))
        {
            seg.Data[0] = 42;
            using var other = LeasedSegment.Open(name);
            Assert.Equal(42, other.Data[0]);
            var unseen = TestHost.Segment(name) with { Attachments = [] };
            var r = new LivenessChecker(TestHost.Liveness()).Check([unseen])[0];
            Assert.Equal(Verdict.Live, r.Verdict); // the lock lease answers first
            var noLockProbe = SegmentProber.Probe([unseen], TimeSpan.FromSeconds(2))[0]!;
            Assert.Equal("ofd", noLockProbe.LockHeldBy);
            Assert.True(noLockProbe.HeaderPresent);
            Assert.Equal(Environment.ProcessId, noLockProbe.OwnerPid);
        }
        // Every user gone: the lock is dropped, the owner (this process) is alive -> Live by owner.
        // Other tests probe every segment of the shared /dev/shm at the same time; a probe of theirs
        // under way makes this one see the file open (still Live), so it asks again a few times.
        var after = TestHost.Check(name);
        for (int i = 0; i < 10 && after.OwnerState != OwnerState.Alive; i++)
        {
            Assert.Equal(Verdict.Live, after.Verdict);
            Thread.Sleep(100);
            after = TestHost.Check(name);
        }
        Assert.Equal(Verdict.Live, after.Verdict);
        Assert.Equal(OwnerState.Alive, after.OwnerState);
        TestHost.Remove(name);
    }

    [Fact]
    public void Handshake_unanswered_and_owner_killed_is_stale()
    {
        string name = Unique.Name("lease-dead");
        var p = HeldSegment.Participant("posix", name, "4096", "--respond");
        int pid = p.Pid;
        p.Kill();
        p.Dispose();
        try
        {
            var clock = Stopwatch.StartNew();
            var r = TestHost.Check(name);
            Assert.Equal(Verdict.Stale, r.Verdict);
            Assert.Equal("handshake unanswered and the recorded owner is dead", r.Reason);
            Assert.Equal(pid, r.OwnerPid);
            Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.Handshake && e.Finding.StartsWith("no answer within"));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), "it waited for the answer");
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_recorded_owner_whose_pid_was_reused_is_gone()
    {
        string name = Unique.Name("lease-reused");
        // The header names a live process (this test host) with another start time: pid reuse.
        var p = HeldSegment.Participant("posix", name, "4096", "--owner-pid", Environment.ProcessId.ToString(), "--owner-ticks", "1");
        p.Kill();
        p.Dispose();
        try
        {
            var r = TestHost.Check(name);
            Assert.Equal(Verdict.Stale, r.Verdict);
            Assert.Equal(OwnerState.Reused, r.OwnerState);
            Assert.Contains("pid reused", r.Reason);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_released_header_is_stale_at_once_even_with_the_owner_alive()
    {
        string name = Unique.Name("lease-rel");
        using var p = HeldSegment.Participant("posix", name, "4096", "--release", "--unmap");
        try
        {
            var clock = Stopwatch.StartNew();
            var r = TestHost.Check(name, TestHost.Liveness(TimeSpan.FromSeconds(10)));
            Assert.Equal(Verdict.Stale, r.Verdict);
            Assert.StartsWith("released by its owner", r.Reason);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "no handshake wait for a released segment");
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void Owner_alive_by_the_pid_in_its_name_is_live_and_stale_once_it_dies()
    {
        using var owner = HeldSegment.Start("idle");
        string name = $"torch_{owner.Pid}_{Random.Shared.Next(1, 1 << 30)}_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        try
        {
            var live = TestHost.Check(name);
            Assert.Equal(Verdict.Live, live.Verdict);
            Assert.Equal(OwnerState.Alive, live.OwnerState);
            owner.Kill();
            var stale = TestHost.Check(name);
            Assert.Equal(Verdict.Stale, stale.Verdict);
            Assert.Equal(OwnerState.Dead, stale.OwnerState);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_name_pid_now_used_by_a_younger_process_is_a_reused_pid()
    {
        string early = Unique.Name("early");
        File.WriteAllBytes("/dev/shm/" + early, new byte[4096]);
        Thread.Sleep(2500); // clearly after the file was made: start times carry up to 1 s of boot-time rounding
        using var younger = HeldSegment.Start("idle");
        string name = $"paddle_{younger.Pid}_3_77";
        File.Move("/dev/shm/" + early, "/dev/shm/" + name); // a rename keeps the birth time
        try
        {
            var r = TestHost.Check(name);
            Assert.Equal(Verdict.Stale, r.Verdict);
            Assert.Equal(OwnerState.Reused, r.OwnerState);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void Unknown_owner_is_unknown_when_recent_and_orphaned_when_old()
    {
        string name = Unique.Name("nobody-knows");
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        try
        {
            Assert.Equal(Verdict.Unknown, TestHost.Check(name).Verdict);
            Thread.Sleep(1200);
            var r = TestHost.Check(name, TestHost.Liveness(orphanAge: TimeSpan.FromSeconds(1)));
            Assert.Equal(Verdict.Orphaned, r.Verdict);
            Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.Age);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void An_unreadable_holder_never_yields_stale_the_kernel_still_sees_its_open_file()
    {
        using var owner = HeldSegment.Start("idle");
        string name = $"torch_{owner.Pid}_1_0";
        owner.Kill(); // the name's owner is dead...
        using var holder = HeldSegment.Start("file", "/dev/shm", name, "4096", "fd"); // ...but another process holds it
        // As a scan that could not read the holder would have found it: no attachment, one unreadable process.
        var unseen = TestHost.Segment(name) with { Attachments = [], Visibility = new ScanVisibility { UnreadablePids = [holder.Pid] } };
        var r = new LivenessChecker(TestHost.Liveness()).Check([unseen])[0];
        Assert.Equal(Verdict.Live, r.Verdict);
        Assert.Equal(KernelOpenCheck.Refused, r.Reason);
        Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.Visibility && e.Finding.StartsWith("1 process(es) could not be read"));
        Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.KernelLease && e.Finding == KernelOpenCheck.Refused);
    }

    [Fact]
    public void SysV_creator_detached_but_alive_is_live_then_stale_when_killed_without_attaching_to_look()
    {
        int key = Unique.SysVKey();
        var p = HeldSegment.Participant("sysv", key.ToString(), "4096", "--detach");
        int shmid = p.InfoInt("shmid");
        try
        {
            var live = TestHost.Check("0x" + key.ToString("x8"));
            Assert.Equal(Verdict.Live, live.Verdict);
            Assert.Equal(OwnerState.Alive, live.OwnerState);
            Assert.Equal(p.Pid, live.OwnerPid);
            p.Kill();
            var stale = TestHost.Check("0x" + key.ToString("x8"));
            Assert.Equal(Verdict.Stale, stale.Verdict);
            Assert.Equal($"owner pid {p.Pid} is dead and nothing holds it", stale.Reason);
            Assert.Equal(p.Pid, stale.Segment.LastPid); // the check did not become the last attacher
        }
        finally
        {
            p.Dispose();
            ShmTools.Core.Native.SysVControl.Remove(shmid);
        }
    }
}
