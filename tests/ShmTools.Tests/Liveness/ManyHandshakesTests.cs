using System.Diagnostics;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>
/// Many unanswered handshakes share one wait. Runs alone after the parallel tests: once, in a full
/// run under load, 59 of its 60 dead-owner segments were judged Live because the kernel refused
/// the exclusive lease (an open file of them existed elsewhere at that moment); alone it passes.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class ManyHandshakesTests
{
    [Fact]
    public void A_thousand_unanswered_handshakes_cost_one_timeout_not_a_thousand()
    {
        var names = Enumerable.Range(0, 60).Select(_ => Unique.Name("lease-many")).ToList();
        foreach (var n in names)
        {
            var p = HeldSegment.Participant("posix", n, "64", "--unmap");
            p.Dispose(); // exits normally: header stays ALIVE, nobody answers
        }
        try
        {
            var segments = new ShmInventory().Scan(new ShmQuery { ExactNames = names.ToHashSet() }).Segments;
            Assert.Equal(names.Count, segments.Count);
            var clock = Stopwatch.StartNew();
            var results = new LivenessChecker(TestHost.Liveness(TimeSpan.FromMilliseconds(500))).Check(segments);
            var elapsed = clock.Elapsed;
            Assert.All(results, r => Assert.Equal(Verdict.Stale, r.Verdict));
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"60 probes of 500 ms took {elapsed.TotalSeconds:0.0} s: they did not share their wait");
        }
        finally
        {
            TestHost.Remove(names.ToArray());
        }
    }
}
