using ShmTools.Core.Shm;

namespace ShmTools.Tests.Shm;

/// <summary>A producer rule whose match runs out of time makes the name unrecognised; it never fails the scan.</summary>
public sealed class ProducerMatchTimeoutTests
{
    [Fact]
    public void A_match_that_times_out_is_no_match()
    {
        var catalog = ProducerCatalog.Parse(new StringReader("slow\tposix\t-\t^(a+)+$\nfast\tposix\t-\t^a+!$\n"), "site.tsv");
        string name = new string('a', 40) + "!";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var match = catalog.Match(name, SegmentKind.Posix);
        Assert.Equal("fast", match?.Producer); // the slow rule gave up; the next rule still applies
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
    }
}
