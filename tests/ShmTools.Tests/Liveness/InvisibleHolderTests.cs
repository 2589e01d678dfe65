using System.Runtime.InteropServices;
using System.Text.Json;
using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>
/// A holder the /proc pass cannot see must never let a segment be judged Stale: one in another
/// pid namespace, one hidden by hidepid, one whose descriptor is only in a thread's private fd
/// table. The kernel sees them all (an exclusive lease is refused while any open file of the
/// segment exists), and a segment nobody holds stays Stale, so cleanup still works in containers.
/// They run alone, after the parallel tests: beside them, the test that looking changes nothing
/// failed once (the cause was not found), and never when run on its own.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class InvisibleHolderTests
{
    /// <summary>A pid namespace nested in the tests' own; mount and IPC namespaces (and so /dev/shm) stay shared.</summary>
    private static readonly string[] NestedPidNamespace = ["unshare", "--pid", "--fork", "--mount-proc"];

    /// <summary>A pid that runs neither in the tests' pid namespace nor in a nested one (whose pids start at 1).</summary>
    private static int DeadEverywhere() => PrivateShm.DeadPid() + 1_000_000;

    private static JsonElement CheckOne(ShmToolsCli.Run run)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        return Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray()).Clone();
    }

    private static IEnumerable<(string Kind, string Finding)> Evidence(JsonElement result) =>
        result.GetProperty("evidence").EnumerateArray().Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("finding").GetString()!));

    [RootTheory]
    [InlineData("maponly")]    // O_RDWR, mmap shared read-write, descriptor closed
    [InlineData("maponly-ro")] // O_RDONLY, mmap read-only, descriptor closed
    [InlineData("fd")]         // an open descriptor only
    public void A_holder_in_another_pid_namespace_keeps_the_segment_live(string how)
    {
        string name = $"torch_{DeadEverywhere()}_1_0";
        using var holder = HeldSegment.Start("file", "/dev/shm", name, "4096", how);

        var r = CheckOne(ShmToolsCli.InvokeUnder(NestedPidNamespace, "check", "--json", "--name", name));
        Assert.Equal("Live", r.GetProperty("verdict").GetString());
        Assert.Equal(KernelOpenCheck.Refused, r.GetProperty("reason").GetString());
        Assert.Equal(0, r.GetProperty("segment").GetProperty("attachments").GetArrayLength()); // the holder is not in that /proc
        Assert.False(r.GetProperty("segment").GetProperty("attachmentsComplete").GetBoolean());
        Assert.Contains(Evidence(r), e => e.Kind == "visibility" && e.Finding.Contains("pid namespace of its own"));
        Assert.Contains(Evidence(r), e => e.Kind == "kernellease" && e.Finding == KernelOpenCheck.Refused);

        // Seen from the holder's own pid namespace, it is held by that pid.
        var seen = TestHost.Check(name);
        Assert.Equal(Verdict.Live, seen.Verdict);
        Assert.Contains(seen.Segment.Attachments, a => a.Pid == holder.Pid);
    }

    [RootFact]
    public void In_a_nested_pid_namespace_it_warns_that_the_scan_is_partial_and_why()
    {
        var run = ShmToolsCli.InvokeUnder(NestedPidNamespace, "list", "--json", "--name", "no-such-segment-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: Processes outside this pid namespace (pid:[", run.Stderr);
        Assert.Contains("Run in the host's pid namespace for a complete view.", run.Stderr);
    }

    [RootFact]
    public void An_unheld_stale_segment_is_still_stale_in_a_nested_pid_namespace_and_is_removed()
    {
        string name = $"torch_{DeadEverywhere()}_1_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        try
        {
            var r = CheckOne(ShmToolsCli.InvokeUnder(NestedPidNamespace, "check", "--json", "--name", name));
            Assert.Equal("Stale", r.GetProperty("verdict").GetString());
            Assert.StartsWith("owner pid ", r.GetProperty("reason").GetString());
            Assert.Contains(Evidence(r), e => e.Kind == "kernellease" && e.Finding == KernelOpenCheck.Granted);

            var clean = ShmToolsCli.InvokeUnder(NestedPidNamespace, "clean", "--yes", "--json", "--name", name);
            Assert.True(clean.ExitCode == 0, clean.Stderr);
            var removed = JsonDocument.Parse(clean.Stdout).RootElement.GetProperty("removed");
            Assert.Equal(name, Assert.Single(removed.EnumerateArray()).GetProperty("name").GetString());
            Assert.False(File.Exists("/dev/shm/" + name));
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    /// <summary>
    /// A private mount namespace whose /proc is a new proc (of the tests' pid namespace) mounted with
    /// hidepid=invisible, and the check run there as nobody: root's processes are not listed at all.
    /// </summary>
    private static readonly string[] HiddenFromNobody =
    [
        "unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t proc -o hidepid=invisible proc /proc && exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$@\"", "sh",
    ];

    [RootFact]
    public void Under_hidepid_another_users_holder_is_never_taken_for_nobody()
    {
        // Both are held by root. Nobody owns the first (so the kernel can be asked, and refuses);
        // root owns the second (nobody may neither read it unseen nor take a lease on it: the
        // verdict stays Unknown).
        string own = $"torch_{DeadEverywhere()}_1_0", roots = $"torch_{DeadEverywhere()}_2_0";
        File.WriteAllBytes("/dev/shm/" + own, new byte[4096]);
        Assert.Equal(0, Chown("/dev/shm/" + own, 65534, 65534));
        File.WriteAllBytes("/dev/shm/" + roots, new byte[4096]);
        File.SetUnixFileMode("/dev/shm/" + roots, (UnixFileMode)Convert.ToInt32("666", 8));
        using var a = HeldSegment.Start("file", "/dev/shm", own, "4096", "map");
        using var b = HeldSegment.Start("file", "/dev/shm", roots, "4096", "maponly");

        var run = ShmToolsCli.InvokeUnder(HiddenFromNobody, "check", "--json", "--name", own, "--name", roots);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("/proc is mounted with hidepid=invisible, so other users' processes are not listed", run.Stderr);
        var results = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);

        Assert.Equal("Live", results[own].GetProperty("verdict").GetString());
        Assert.Equal(KernelOpenCheck.Refused, results[own].GetProperty("reason").GetString());
        Assert.Contains(Evidence(results[own]), e => e.Kind == "visibility" && e.Finding.Contains("hidepid=invisible"));

        Assert.Equal("Unknown", results[roots].GetProperty("verdict").GetString());
        Assert.EndsWith("not read, as reading it would mark it as just used (only its owner or root can read it unseen)", results[roots].GetProperty("reason").GetString());
        Assert.Equal(0, results[roots].GetProperty("segment").GetProperty("attachments").GetArrayLength());
    }

    [RootFact]
    public void Under_hidepid_an_owner_that_is_hidden_is_not_taken_for_dead()
    {
        // The name's pid is root's live process, which does not hold the file. Hidden from nobody,
        // it must not read as "not running", or the segment would be Stale on the name alone.
        using var owner = HeldSegment.Start("idle");
        string name = $"torch_{owner.Pid}_1_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        Assert.Equal(0, Chown("/dev/shm/" + name, 65534, 65534));
        try
        {
            var r = CheckOne(ShmToolsCli.InvokeUnder(HiddenFromNobody, "check", "--json", "--name", name));
            Assert.NotEqual("Stale", r.GetProperty("verdict").GetString());
            Assert.Equal("Unknown", r.GetProperty("ownerState").GetString());
            Assert.Contains(Evidence(r), e => e.Kind == "owner" && e.Finding.StartsWith($"name pid {owner.Pid} exists, but /proc does not let it be read"));
            Assert.Equal(Verdict.Live, TestHost.Check(name).Verdict); // root sees it: the owner is alive
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_descriptor_only_in_a_threads_private_fd_table_keeps_the_segment_live()
    {
        string name = $"torch_{DeadEverywhere()}_1_0";
        using var holder = HeldSegment.Start("thread-fd", "/dev/shm", name, "4096");
        int fd = holder.InfoInt("fd"), tid = holder.InfoInt("tid");
        Assert.False(File.Exists($"/proc/{holder.Pid}/fd/{fd}") && new FileInfo($"/proc/{holder.Pid}/fd/{fd}").LinkTarget == "/dev/shm/" + name,
            "the helper's descriptor should be in its thread's table only");
        Assert.Equal("/dev/shm/" + name, new FileInfo($"/proc/{holder.Pid}/task/{tid}/fd/{fd}").LinkTarget);

        var r = TestHost.Check(name);
        Assert.Equal(Verdict.Live, r.Verdict);
        if (r.Segment.Attachments.Count == 0) // not seen by the /proc pass: the kernel's refusal decides
        {
            Assert.Equal(KernelOpenCheck.Refused, r.Reason);
            Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.KernelLease && e.Finding == KernelOpenCheck.Refused);
        }
    }

    [Fact]
    public void Unreadable_processes_no_longer_block_a_stale_verdict_the_kernel_confirms()
    {
        string name = $"torch_{DeadEverywhere()}_1_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        try
        {
            var hidden = TestHost.Segment(name) with { Visibility = new ScanVisibility { UnreadablePids = [DeadEverywhere()] } };
            var r = new LivenessChecker(TestHost.Liveness()).Check([hidden])[0];
            Assert.Equal(Verdict.Stale, r.Verdict);
            Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.Visibility && e.Finding.Contains("could not be read"));
            Assert.Contains(r.Evidence, e => e.Kind == EvidenceKind.KernelLease && e.Finding == KernelOpenCheck.Granted);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void Looking_changes_no_time_and_no_size_whether_the_kernel_grants_or_refuses()
    {
        string unheld = $"torch_{DeadEverywhere()}_1_0", held = $"torch_{DeadEverywhere()}_2_0";
        File.WriteAllBytes("/dev/shm/" + unheld, new byte[8192]);
        using var holder = HeldSegment.Start("thread-fd", "/dev/shm", held, "8192");
        var twoHoursAgo = DateTime.UtcNow.AddHours(-2);
        foreach (var n in new[] { unheld, held })
        {
            File.SetLastWriteTimeUtc("/dev/shm/" + n, twoHoursAgo);
            File.SetLastAccessTimeUtc("/dev/shm/" + n, twoHoursAgo);
        }
        Thread.Sleep(20); // a change made by looking would now show as a later change time
        try
        {
            var before = new[] { unheld, held }.Select(Status).ToArray();
            for (int i = 0; i < 3; i++)
            {
                var results = new LivenessChecker(TestHost.Liveness()).Check([TestHost.Segment(unheld), TestHost.Segment(held)]);
                Assert.Equal(Verdict.Stale, results[0].Verdict);
                Assert.Contains(results[0].Evidence, e => e.Kind == EvidenceKind.KernelLease && e.Finding == KernelOpenCheck.Granted);
                Assert.Equal(Verdict.Live, results[1].Verdict);
            }
            var after = new[] { unheld, held }.Select(Status).ToArray();
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(before[k].Accessed, after[k].Accessed);
                Assert.Equal(before[k].Modified, after[k].Modified);
                Assert.Equal(before[k].Changed, after[k].Changed);
                Assert.Equal(before[k].SizeBytes, after[k].SizeBytes);
            }
        }
        finally
        {
            TestHost.Remove(unheld);
        }
    }

    [Fact]
    public void The_kernel_check_follows_no_link_and_never_waits_on_a_FIFO()
    {
        string name = Unique.Name("swapped"), target = Unique.Name("swapped-target");
        string path = "/dev/shm/" + name;
        File.WriteAllBytes(path, new byte[4096]);
        File.WriteAllBytes("/dev/shm/" + target, new byte[4096]);
        try
        {
            var listed = TestHost.Segment(name);
            using var dirs = new ParentDirectories();

            File.Delete(path);
            Assert.Equal(0, Mkfifo(path, Convert.ToUInt32("666", 8)));
            var fifo = Task.Run(() => KernelOpenCheck.Ask(listed, dirs));
            Assert.True(fifo.Wait(TimeSpan.FromSeconds(10)), "the check blocked on a FIFO");
            Assert.Equal(KernelOpenCheck.Answer.NotAsked, fifo.Result.Answer);
            Assert.Contains("no longer the segment that was listed", fifo.Result.Finding);

            File.Delete(path);
            File.CreateSymbolicLink(path, "/dev/shm/" + target);
            var link = KernelOpenCheck.Ask(listed with { Inode = Status(target).Inode }, dirs); // even aimed at the link's target
            Assert.Equal(KernelOpenCheck.Answer.NotAsked, link.Answer);
            Assert.Contains("cannot open", link.Finding);
        }
        finally
        {
            TestHost.Remove(name, target);
        }
    }

    private static FileStatus Status(string name)
    {
        Assert.Equal(0, Posix.Stat("/dev/shm/" + name, followLinks: false, out var st));
        return st;
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown(string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo(string path, uint mode);
}
