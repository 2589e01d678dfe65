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
    [Fact]
    public void Pulled_pieces_cover_the_range_once_in_order_on_both_threads_however_uneven()
    {
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        // The first pieces are slow: a static split would leave one thread with all of them.
        var pieces = Chunked.Pull(10_001, 500, (from, to) =>
        {
            if (from < 2500) Thread.Sleep(40);
            threads.AddOrUpdate(Environment.CurrentManagedThreadId, 1, (_, n) => n + 1);
            return (from, to);
        }, threads: 2, minimumPerThread: 1000);
        Assert.Equal(21, pieces.Length);
        Assert.Equal(Enumerable.Range(0, 21).Select(p => (p * 500, Math.Min(10_001, p * 500 + 500))), pieces);
        Assert.Equal(2, threads.Count);
        Assert.All(threads.Values, n => Assert.True(n >= 3, $"each thread took pieces: {string.Join(", ", threads.Values)}"));
    }

    [Fact]
    public void A_failing_piece_is_thrown_as_it_was_and_no_piece_starts_after_it()
    {
        int started = 0;
        var ex = Assert.Throws<InvalidOperationException>(() => Chunked.Pull(100_000, 100, (from, _) =>
        {
            Interlocked.Increment(ref started);
            if (from == 300) throw new InvalidOperationException("piece 3");
            Thread.Sleep(1);
            return 0;
        }, threads: 2, minimumPerThread: 1000));
        Assert.Equal("piece 3", ex.Message);
        Assert.True(Volatile.Read(ref started) < 20, $"{started} pieces started of 1,000");
    }
}
