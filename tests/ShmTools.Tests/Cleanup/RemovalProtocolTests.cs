using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Tests.Support;
using Xunit.Abstractions;

namespace ShmTools.Tests.Cleanup;

/// <summary>
/// The removal protocol (park under a private name, one holder pass, unlink or put back) against
/// holders that appear after a segment was judged, and names re-created while it is parked.
/// Runs alone: while a parallel test starts a process, the forked child holds copies of this
/// process's descriptors until it execs (the checker's probe of a segment among them), and the
/// lease question rightly calls the segment Live then (CI saw the swap race's first judgment
/// come out Live once).
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class RemovalProtocolTests(ITestOutputHelper output)
{
    private static string Stress => NativeBuild.Program("shm_stress.c");

    [Fact]
    public void A_holder_in_a_threads_own_descriptor_table_is_found_by_the_holder_pass_and_it_is_put_back()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        string path = "/dev/shm/" + stale;
        try
        {
            var judged = DeadSegments.Judge(stale);
            Assert.Equal(Verdict.Stale, Assert.Single(judged).Verdict);
            using var late = HeldSegment.StartWith("python3", ["-c", HeldSegment.ThreadTableHolder, path, "keep"]);
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal($"at removal: held by pid {late.Pid} via fd; put back under its name", r.Reason);
            Assert.True(File.Exists(path));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Theory]
    [InlineData("map")]
    [InlineData("fd")]
    public void A_holder_that_opened_it_after_the_check_is_found_by_the_holder_pass_and_it_is_put_back(string how)
    {
        long tag = DeadSegments.Tag();
        string stale = DeadSegments.Create(tag);
        string path = "/dev/shm/" + stale;
        ulong inode = DeadSegments.Inode(path);
        try
        {
            var judged = DeadSegments.Judge(stale);
            Assert.Equal(Verdict.Stale, Assert.Single(judged).Verdict);
            // A reader that neither writes nor locks: only the pass over /proc can see it.
            string script = how == "map"
                ? "import mmap,os,sys,json; fd=os.open(sys.argv[1],os.O_RDONLY); m=mmap.mmap(fd,0,prot=mmap.PROT_READ); os.close(fd); print(json.dumps({'pid':os.getpid()}),flush=True); sys.stdin.read()"
                : "import os,sys,json; fd=os.open(sys.argv[1],os.O_RDONLY); print(json.dumps({'pid':os.getpid()}),flush=True); sys.stdin.read()";
            using var late = HeldSegment.StartWith("python3", ["-c", script, path]);
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.Equal(Verdict.Live, r.Verdict);
            Assert.Equal($"at removal: held by pid {late.Pid} via {how}; put back under its name", r.Reason);
            Assert.Equal(inode, DeadSegments.Inode(path));
            Assert.Empty(DeadSegments.ParkedOf(stale));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void A_descriptor_this_process_holds_counts_as_a_holder()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        try
        {
            var judged = DeadSegments.Judge(stale);
            using var dir = ShmTools.Core.Native.DirectoryHandle.Open("/dev/shm");
            int mine = dir.OpenFile(stale, write: false);
            Assert.True(mine >= 0);
            try
            {
                using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
                var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
                Assert.Equal(CleanupAction.Kept, r.Action);
                Assert.Contains($"held by pid {Environment.ProcessId} via fd", r.Reason);
            }
            finally
            {
                ShmTools.Core.Native.Posix.Close(mine);
            }
            Assert.True(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void A_held_segment_whose_name_was_recreated_while_parked_is_reported_stranded_and_again_by_later_scans()
    {
        long tag = DeadSegments.Tag();
        string stale = DeadSegments.Create(tag);
        string path = "/dev/shm/" + stale;
        ulong inode = DeadSegments.Inode(path);
        var judged = DeadSegments.Judge(stale);
        using var reader = HeldSegment.StartWith("python3", ["-c",
            "import mmap,os,sys,json; fd=os.open(sys.argv[1],os.O_RDONLY); m=mmap.mmap(fd,0,prot=mmap.PROT_READ); print(json.dumps({'pid':os.getpid()}),flush=True); sys.stdin.read()", path]);
        string? parked = null;
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options())
            {
                AfterQuarantine = batch =>
                {
                    var (dir, name, q) = Assert.Single(batch);
                    parked = q;
                    File.WriteAllText(Path.Combine(dir, name), "a new segment under the old name");
                },
            };
            var report = cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll);
            var r = Assert.Single(report.Stranded);
            Assert.Equal(parked, r.QuarantineName);
            Assert.StartsWith(QuarantineNames.Prefix, parked);
            Assert.EndsWith("-" + stale, parked);
            Assert.Contains("re-created", r.Error);
            Assert.Contains(parked!, r.Error);
            Assert.Equal(inode, DeadSegments.Inode("/dev/shm/" + parked));           // the held segment, intact
            Assert.Equal("a new segment under the old name", File.ReadAllText(path)); // the newcomer, untouched
            Assert.Contains("stranded", report.Summary);

            // Every later cleanup reports it again, and never removes it.
            using var later = new StaleSegmentCleaner(DeadSegments.Options());
            var again = later.Run(CleanupInput.Of(DeadSegments.Scan(parked!)), CleanupApprover.ApproveAll);
            var s = Assert.Single(again.Stranded);
            Assert.Equal(parked, s.Name);
            Assert.Contains($"its name {stale} was re-created", s.Error);
            Assert.True(File.Exists("/dev/shm/" + parked));
        }
        finally
        {
            TestHost.Remove(stale);
            if (parked != null) File.Delete("/dev/shm/" + parked);
        }
    }

    [Fact]
    public void An_unheld_segment_whose_name_was_recreated_while_parked_is_removed_and_the_newcomer_kept()
    {
        string stale = DeadSegments.Create(DeadSegments.Tag());
        string path = "/dev/shm/" + stale;
        var judged = DeadSegments.Judge(stale);
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options())
            {
                AfterQuarantine = batch => File.WriteAllText(path, "newcomer"),
            };
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Removed, r.Action);
            Assert.Equal("newcomer", File.ReadAllText(path));
            Assert.Empty(DeadSegments.ParkedOf(stale));
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    /// <summary>
    /// The swap race, for real: a holder maps the segment after it was judged and re-creates its
    /// name the moment it disappears. Each round must end either put back (the holder's inode under
    /// the name) or reported stranded (the holder's inode under the reported quarantine name, the
    /// newcomer under the name); never a loss, never a false "put back".
    /// </summary>
    [Fact]
    public void Swap_race_rounds_never_lose_a_held_segment_nor_misreport_it()
    {
        int rounds = 60, putBack = 0, stranded = 0;
        var names = new List<string>();
        int dead = DeadSegments.DeadPid();
        long tag = DeadSegments.Tag();
        for (int i = 0; i < rounds; i++)
        {
            string name = DeadSegments.Create(tag + i, 4096, dead);
            names.Add(name);
            string path = "/dev/shm/" + name;
            var judged = DeadSegments.Judge(name);
            Assert.True(Assert.Single(judged).Verdict == Verdict.Stale, $"{judged[0].Verdict}: {judged[0].Reason}");
            using var racer = HeldSegment.StartWith(Stress, ["swap", path]);
            ulong held = (ulong)racer.Info.GetProperty("inode").GetInt64();
            try
            {
                using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
                var r = Assert.Single(cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records);
                if (r.Action == CleanupAction.Kept)
                {
                    Assert.Equal(held, DeadSegments.Inode(path));
                    putBack++;
                }
                else
                {
                    Assert.Equal(CleanupAction.Stranded, r.Action);
                    Assert.Equal(held, DeadSegments.Inode("/dev/shm/" + r.QuarantineName));
                    Assert.NotEqual(held, DeadSegments.Inode(path));
                    Assert.NotEqual(0ul, DeadSegments.Inode(path));
                    File.Delete("/dev/shm/" + r.QuarantineName);
                    stranded++;
                }
            }
            finally
            {
                TestHost.Remove(name);
            }
        }
        output.WriteLine($"{rounds} rounds: {putBack} put back, {stranded} stranded and reported");
        Assert.Equal(rounds, putBack + stranded);
        Assert.Empty(DeadSegments.ParkedOf(names));
    }
}
