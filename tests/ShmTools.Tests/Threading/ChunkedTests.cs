using ShmTools.Core.Threading;
using Xunit;

namespace ShmTools.Tests.Threading;

public class ChunkedTests
{
    [Fact]
    public void Chunks_cover_the_range_once_in_order()
    {
        var parts = Chunked.Run(10_001, (from, to) => (from, to), threads: 2, minimumPerThread: 1000);
        Assert.Equal(2, parts.Length);
        Assert.Equal(0, parts[0].from);
        Assert.Equal(parts[0].to, parts[1].from);
        Assert.Equal(10_001, parts[1].to);
    }

    [Fact]
    public void Small_work_stays_on_the_callers_thread()
    {
        int caller = Environment.CurrentManagedThreadId;
        var ids = Chunked.Run(100, (_, _) => Environment.CurrentManagedThreadId, threads: 2, minimumPerThread: 1000);
        Assert.Equal([caller], ids);
    }

    [Fact]
    public void A_failing_first_chunk_still_waits_for_the_other_and_is_thrown_as_it_was()
    {
        int finished = 0;
        var ex = Assert.Throws<InvalidOperationException>(() => Chunked.Run(4000, (from, _) =>
        {
            if (from == 0) throw new InvalidOperationException("first");
            Thread.Sleep(300);
            Interlocked.Increment(ref finished);
            return 0;
        }, threads: 2, minimumPerThread: 1000));
        Assert.Equal("first", ex.Message);
        Assert.Equal(1, Volatile.Read(ref finished));
    }

    [Fact]
    public void Several_failures_come_together_and_cancellations_alone()
    {
        var agg = Assert.Throws<AggregateException>(() =>
            Chunked.Run<int>(4000, (from, _) => throw new IOException("chunk " + from), threads: 2, minimumPerThread: 1000));
        Assert.Equal(2, agg.InnerExceptions.Count);
        Assert.Throws<OperationCanceledException>(() =>
            Chunked.Run<int>(4000, (_, _) => throw new OperationCanceledException(), threads: 2, minimumPerThread: 1000));
    }
}
