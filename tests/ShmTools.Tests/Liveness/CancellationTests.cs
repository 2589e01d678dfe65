using System.Diagnostics;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>A cancel ends a handshake wait and a scan at once, not at the probe timeout.</summary>
public sealed class CancellationTests
{
    [Fact]
    public void Cancel_ends_a_handshake_wait_at_once_not_at_the_probe_timeout()
    {
        string name = Unique.Name("cancel-wait");
        // A header, no lock, no responder, nothing mapped: the checker must wait for an answer.
        using var p = HeldSegment.Participant("posix", name, "4096", "--unmap");
        try
        {
            var segment = TestHost.Segment(name);
            using var cancel = new CancellationTokenSource();
            var checker = new LivenessChecker(TestHost.Liveness(TimeSpan.FromSeconds(20)));
            var started = Stopwatch.StartNew();
            TimeSpan requested = default;
            var task = Task.Run(() => checker.Check([segment], cancel.Token));
            Thread.Sleep(300);
            Assert.False(task.IsCompleted, "the check should still be waiting for the handshake");
            requested = started.Elapsed;
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult());
            var after = started.Elapsed - requested;
            // At once against the 20 s the wait would last: the wait polls its token every few ms,
            // and on a loaded two-CPU runner resuming the waiting thread has taken 127 ms.
            Assert.True(after < TimeSpan.FromMilliseconds(500), $"the wait ended {after.TotalMilliseconds:0} ms after the cancel");
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [Fact]
    public void A_cancelled_scan_throws_instead_of_returning_a_partial_inventory()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new ShmInventory().Scan(new ShmQuery(), cancel.Token));
        // And an uncancelled token changes nothing.
        Assert.NotNull(new ShmInventory().Scan(new ShmQuery(), CancellationToken.None).Segments);
    }
}
