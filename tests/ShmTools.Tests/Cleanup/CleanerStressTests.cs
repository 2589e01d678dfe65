using ShmTools.Core.Cleanup;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;
using Xunit.Abstractions;

namespace ShmTools.Tests.Cleanup;

public sealed class CleanerStressTests(ITestOutputHelper output)
{
    [Fact]
    public void Repeated_cleanups_among_holders_starting_and_dying_lose_no_live_segment()
    {
        string tag = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString();
        using var population = HeldSegment.StartWith("python3", [Path.Combine(AppContext.BaseDirectory, "helpers", "stress_holders.py"), "/dev/shm", tag, "120"]);
        Assert.True(population.Info.GetProperty("ready").GetInt32() > 50);
        var options = new CleanupOptions { Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(200)) };
        long removed = 0, rounds = 0, keptLive = 0;
        var until = DateTime.UtcNow.AddSeconds(8);
        while (DateTime.UtcNow < until)
        {
            var segments = new ShmInventory().Scan(new ShmQuery { Names = [$"torch_*_{tag}_0"] }).Segments;
            using var cleaner = new StaleSegmentCleaner(options);
            var report = cleaner.Run(CleanupInput.Of(segments), CleanupApprover.ApproveAll);
            removed += report.Removed.Count();
            keptLive += report.Kept.Count(k => k.Verdict == ShmTools.Core.Liveness.Verdict.Live);
            Assert.Empty(report.Failed);
            rounds++;
        }
        var end = population.Finish();
        output.WriteLine($"{rounds} cleanup rounds, {removed} stale removed, {keptLive} live kept; population: {end}");
        Assert.Empty(end.GetProperty("lost").EnumerateArray());
        Assert.True(end.GetProperty("alive").GetInt32() > 0);
        Assert.True(end.GetProperty("died").GetInt32() > 50, "holders kept dying during the test");
        Assert.True(removed > 50, $"stale segments were removed ({removed} in {rounds} rounds)");
        Assert.True(keptLive > 0);
    }

    /// <summary>
    /// The small version of bench/cleanup/stress.py: stale-looking segments, loops of short-lived
    /// processes opening and mapping random ones by name, and cleanups running meanwhile (what one
    /// removes is re-created before the next, so there is always something to hold). Each
    /// holder checks, before it lets go, that what it held still has a name: none may have been
    /// unlinked under it.
    /// </summary>
    [Fact]
    public void Cleanups_among_short_lived_holders_of_random_segments_unlink_none_of_them_while_held()
    {
        const int count = 1500, loops = 4;
        int dead = DeadSegments.DeadPid();
        long tag = DeadSegments.Tag();
        string prefix = $"torch_{dead}_{tag}_";
        string stress = ShmTools.Tests.Support.NativeBuild.Program("shm_stress.c");
        ShmTools.Tests.Support.NativeBuild.Run(stress, "populate", "/dev/shm", prefix, count.ToString(), "4096");
        var churn = Enumerable.Range(0, loops).Select(_ => Start(stress, "churn", "/dev/shm", prefix, count.ToString(), "4", "6")).ToList();
        int runs = 0, removed = 0, putBack = 0;
        try
        {
            var options = new CleanupOptions { Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(100)) };
            var until = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow < until)
            {
                using var cleaner = new StaleSegmentCleaner(options);
                var report = cleaner.Run(CleanupInput.Of(DeadSegments.Scan(prefix + "*")), CleanupApprover.ApproveAll);
                removed += report.Removed.Count();
                putBack += report.Kept.Count(k => k.Reason.Contains("put back"));
                Assert.Empty(report.Failed);
                Assert.Empty(report.Stranded);
                runs++;
                // What was removed comes back, so the holders have segments to hold all along.
                ShmTools.Tests.Support.NativeBuild.Run(stress, "populate", "/dev/shm", prefix, count.ToString(), "4096");
            }
        }
        finally
        {
            foreach (var p in churn) p.WaitForExit(20_000);
        }
        var figures = churn.Select(p => System.Text.Json.JsonDocument.Parse(p.StandardOutput.ReadToEnd()).RootElement).ToList();
        long holds = figures.Sum(f => f.GetProperty("holds").GetInt64()), lost = figures.Sum(f => f.GetProperty("lost").GetInt64());
        output.WriteLine($"{runs} cleanups, {removed} removed, {putBack} put back after the holder pass; {holds} holds, {lost} lost");
        TestHost.Remove(Enumerable.Range(0, count).Select(i => prefix + i).ToArray());
        Assert.Equal(0, lost);
        Assert.True(holds > 100, $"the holders kept holding ({holds})");
        Assert.True(removed > 100, $"stale segments were removed ({removed})");
    }

    private static System.Diagnostics.Process Start(string program, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return System.Diagnostics.Process.Start(psi)!;
    }
}
