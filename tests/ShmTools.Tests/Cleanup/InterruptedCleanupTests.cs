using ShmTools.Core.Cleanup;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>
/// A cleanup killed between parking segments and removing them leaves them under quarantine
/// names, where no program finds them by their own name. The next cleanup puts each back under
/// its name when that is free (never removing it in that step), and the one after judges it.
/// </summary>
public sealed class InterruptedCleanupTests
{
    private static string Park(string name)
    {
        string parked = QuarantineNames.For(name);
        File.Move("/dev/shm/" + name, "/dev/shm/" + parked);
        return parked;
    }

    [Fact]
    public void A_segment_left_parked_goes_back_under_its_name_and_the_next_run_judges_it()
    {
        string name = DeadSegments.Create(DeadSegments.Tag());
        string parked = Park(name);
        try
        {
            // Looking changes nothing.
            using (var preview = new StaleSegmentCleaner(DeadSegments.Options()))
            {
                var seen = Assert.Single(preview.Run(CleanupInput.Of(DeadSegments.Scan(parked)), CleanupApprover.PreviewAll).Records);
                Assert.Equal(CleanupAction.Stranded, seen.Action);
                Assert.Contains($"would be put back under its name {name}", seen.Error);
                Assert.True(File.Exists("/dev/shm/" + parked));
            }
            using (var cleaner = new StaleSegmentCleaner(DeadSegments.Options()))
            {
                var back = Assert.Single(cleaner.Run(CleanupInput.Of(DeadSegments.Scan(parked)), CleanupApprover.ApproveAll).Records);
                Assert.Equal(CleanupAction.Kept, back.Action);
                Assert.StartsWith($"put back under its name {name}", back.Reason);
            }
            Assert.False(File.Exists("/dev/shm/" + parked));
            Assert.True(File.Exists("/dev/shm/" + name));
            using (var next = new StaleSegmentCleaner(DeadSegments.Options()))
                Assert.Equal(CleanupAction.Removed, Assert.Single(next.Run(CleanupInput.Of(DeadSegments.Scan(name)), CleanupApprover.ApproveAll).Records).Action);
            Assert.False(File.Exists("/dev/shm/" + name));
        }
        finally
        {
            TestHost.Remove(name, parked);
        }
    }

    /// <summary>
    /// Any user can make a file whose name starts like a quarantine name. Only the names a cleanup
    /// makes are parked ones; a look-alike is an ordinary segment (judged and removed by the usual
    /// rules), not "stranded" in every later run's report and exit code.
    /// </summary>
    [Theory]
    [InlineData("x")]
    [InlineData("0123456789AB-torch")]  // upper case: not what a cleanup writes
    [InlineData("0123456789a-torch")]   // 11 characters
    [InlineData("0123456789abc")]       // 13, no dash
    public void A_look_alike_quarantine_name_is_an_ordinary_segment(string rest)
    {
        Assert.False(QuarantineNames.IsQuarantined(QuarantineNames.Prefix + rest));
        string name = QuarantineNames.Prefix + rest + "-" + DeadSegments.Tag();
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        File.SetLastWriteTimeUtc("/dev/shm/" + name, DateTime.UtcNow.AddHours(-3));
        File.SetLastAccessTimeUtc("/dev/shm/" + name, DateTime.UtcNow.AddHours(-3));
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options() with { IncludeOrphaned = true, OlderThan = TimeSpan.FromHours(1) });
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(DeadSegments.Scan(name)), CleanupApprover.ApproveAll).Records);
            Assert.True(r.Action == CleanupAction.Removed, $"{r.Action} {r.Verdict}: {r.Reason} {r.Error}");
            Assert.False(File.Exists("/dev/shm/" + name));
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    /// <summary>Another user's parked file is theirs: put back only when this run acts on other users' files.</summary>
    [RootFact]
    public void Another_users_parked_file_is_left_alone_without_all_users_and_put_back_with_it()
    {
        string name = DeadSegments.Create(DeadSegments.Tag());
        string parked = Park(name);
        NativeBuild.Run("chown", "65534:65534", "/dev/shm/" + parked);
        try
        {
            using (var mine = new StaleSegmentCleaner(DeadSegments.Options()))
            {
                var r = Assert.Single(mine.Run(CleanupInput.Of(DeadSegments.Scan(parked)), CleanupApprover.ApproveAll).Records);
                Assert.Equal(CleanupAction.Kept, r.Action);
                Assert.Contains("a quarantine name of another user's, put back only with AllUsers", r.Reason);
                Assert.True(File.Exists("/dev/shm/" + parked));
                Assert.False(File.Exists("/dev/shm/" + name));
            }
            using (var all = new StaleSegmentCleaner(DeadSegments.Options() with { AllUsers = true }))
            {
                var r = Assert.Single(all.Run(CleanupInput.Of(DeadSegments.Scan(parked)), CleanupApprover.ApproveAll).Records);
                Assert.StartsWith($"put back under its name {name}", r.Reason);
                Assert.True(File.Exists("/dev/shm/" + name));
            }
        }
        finally
        {
            TestHost.Remove(name, parked);
        }
    }

    /// <summary>A cleanup parks only files with one name: a hard link under a quarantine name was made by someone else.</summary>
    [Fact]
    public void A_hard_link_under_a_quarantine_name_is_left_as_it_is_not_stranded()
    {
        string name = DeadSegments.Create(DeadSegments.Tag());
        string link = QuarantineNames.For(name);
        NativeBuild.Run("ln", "/dev/shm/" + name, "/dev/shm/" + link);
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(DeadSegments.Scan(link)), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Kept, r.Action);
            Assert.StartsWith("has 2 names, and a cleanup parks only files with one", r.Reason);
            Assert.True(File.Exists("/dev/shm/" + name) && File.Exists("/dev/shm/" + link));
        }
        finally
        {
            TestHost.Remove(name, link);
        }
    }

    [Fact]
    public void A_quarantine_name_a_cleanup_makes_is_known_as_one()
    {
        foreach (var original in new[] { "torch_1_2_0", new string('n', 250) })
            Assert.True(QuarantineNames.IsQuarantined(QuarantineNames.For(original)), original);
    }

    [Fact]
    public void A_segment_whose_name_was_taken_meanwhile_stays_parked_and_is_reported()
    {
        long tag = DeadSegments.Tag();
        string name = DeadSegments.Create(tag);
        string parked = Park(name);
        File.WriteAllBytes("/dev/shm/" + name, [1, 2, 3]); // the name is somebody's again
        try
        {
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options());
            var r = Assert.Single(cleaner.Run(CleanupInput.Of(DeadSegments.Scan(parked)), CleanupApprover.ApproveAll).Records);
            Assert.Equal(CleanupAction.Stranded, r.Action);
            Assert.Contains("was re-created meanwhile", r.Error);
            Assert.True(File.Exists("/dev/shm/" + parked));
            Assert.Equal(3, new FileInfo("/dev/shm/" + name).Length);
        }
        finally
        {
            TestHost.Remove(name, parked);
        }
    }

    [RootFact]
    public void Sigterm_stops_a_cleanup_after_the_batch_under_way_and_leaves_nothing_parked()
    {
        int dead = PrivateShm.DeadPid();
        string setup = $"for i in $(seq 1 6000); do : > /dev/shm/torch_{dead}_$i\\_0; done";
        string script = """
            dotnet "$0" clean --yes --log "$WORK/audit.log" > /dev/null 2> "$WORK/err" & c=$!
            for _ in $(seq 600); do grep -q '"removed"' "$WORK/audit.log" 2>/dev/null && break; sleep 0.05; done
            kill -TERM $c; wait $c; echo "exit=$?" >&2
            echo "parked=$(ls -a /dev/shm | grep -c '^.shmtools-removing-')" >&2
            echo "left=$(ls /dev/shm | wc -l)" >&2
            cat "$WORK/err" >&2
            """;
        using var run = PrivateShm.Start("64m", setup, "bash", "-c", script, ShmToolsCli.DllPath);
        var r = run.Wait(TimeSpan.FromSeconds(180));
        Assert.True(run.Reported("parked") == "0", r.Stderr);
        // 6,000 segments are twelve batches; the signal comes after the first removal.
        Assert.True(run.Reported("exit") == "143", r.Stderr);
        Assert.Contains("stopped by SIGTERM after the batch under way", r.Stderr);
        int left = int.Parse(run.Reported("left")!);
        Assert.True(left > 0 && left < 6000 && left % 512 == 6000 % 512, $"{left} left: not whole batches ({r.Stderr})");
    }
}
