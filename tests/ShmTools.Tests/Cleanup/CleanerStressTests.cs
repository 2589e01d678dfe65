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
            var report = cleaner.Run(segments);
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
}
