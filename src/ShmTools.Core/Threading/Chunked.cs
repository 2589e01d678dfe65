using System.Runtime.ExceptionServices;

namespace ShmTools.Core.Threading;

/// <summary>
/// Runs work over contiguous chunks of a list on threads of its own, kept between runs
/// (<see cref="KeptThreads"/>; the caller's thread takes the first chunk). Used where a scan is
/// CPU-bound and waiting for a busy pool would cost more than the work; results come back in input order. Every chunk has ended when it returns or throws:
/// a failure is thrown as it was (one), or all of them together (several, unless every one is a
/// cancellation, which is then thrown alone).
/// </summary>
public static class Chunked
{
    /// <summary>Below this many items per extra thread (unless the caller says otherwise) the work stays on the caller's thread.</summary>
    public const int MinimumPerThread = 2048;

    public static TOut[] Run<TIn, TOut>(IReadOnlyList<TIn> items, Func<IReadOnlyList<TIn>, int, int, TOut> work, int? threads = null, int minimumPerThread = MinimumPerThread) =>
        Run(items.Count, (from, to) => work(items, from, to), threads, minimumPerThread);

    /// <summary>The same over the index range [0, <paramref name="count"/>): <paramref name="work"/>(from, to) per chunk.</summary>
    public static TOut[] Run<TOut>(int count, Func<int, int, TOut> work, int? threads = null, int minimumPerThread = MinimumPerThread) =>
        Run(count, (from, to, _) => work(from, to), threads, minimumPerThread);

    /// <summary>The same, passing each chunk the threads' <see cref="SideBySide"/> (null on one thread) to note between its pieces.</summary>
    private static TOut[] Run<TOut>(int count, Func<int, int, SideBySide?, TOut> work, int? threads, int minimumPerThread)
    {
        int n = Math.Max(1, Math.Min(threads ?? Environment.ProcessorCount, count / Math.Max(1, minimumPerThread)));
        var results = new TOut[n];
        var errors = new Exception?[n];
        var workers = new KeptThreads.Running[n - 1];
        int size = (count + n - 1) / n;
        var apart = n > 1 ? new SideBySide() : null;
        for (int t = 1; t < n; t++)
        {
            int chunk = t;
            workers[t - 1] = KeptThreads.Shared.Start(() =>
            {
                apart!.Note(); // to run beside the caller's thread, not after it
                try { results[chunk] = work(chunk * size, Math.Min(count, (chunk + 1) * size), apart); }
                catch (Exception ex) { errors[chunk] = ex; }
            });
        }
        try { results[0] = work(0, Math.Min(count, size), apart); }
        catch (Exception ex) { errors[0] = ex; }
        foreach (var w in workers) w.Join();
        var failures = errors.Where(e => e != null).Select(e => e!).ToList();
        if (failures.Count == 1 || (failures.Count > 1 && failures.All(e => e is OperationCanceledException)))
            ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 1) throw new AggregateException(failures);
        return results;
    }

    /// <summary>
    /// The same over pieces of <paramref name="step"/> items that the threads take in turn from a
    /// shared counter, so a thread whose pieces cost more (names that need their producer's
    /// pattern run, say) does not hold up the others; results come back in piece order. After a
    /// failure no further piece is started.
    /// </summary>
    public static TOut[] Pull<TOut>(int count, int step, Func<int, int, TOut> work, int? threads = null, int minimumPerThread = MinimumPerThread) =>
        Pull(count, step, static () => 0, (_, from, to) => work(from, to), threads, minimumPerThread);

    /// <summary>
    /// The same with state of each thread's own (caches, open directories): made by
    /// <paramref name="state"/> once per thread, passed to each of its pieces, and disposed, when it
    /// is disposable, once the thread takes no more.
    /// </summary>
    public static TOut[] Pull<TState, TOut>(int count, int step, Func<TState> state, Func<TState, int, int, TOut> work, int? threads = null, int minimumPerThread = MinimumPerThread)
    {
        int pieces = (count + step - 1) / step;
        var results = new TOut[pieces];
        int next = -1, failed = 0;
        _ = Run(Math.Max(count, 0), (_, _, apart) =>
        {
            var mine = state();
            try
            {
                int piece;
                while (Volatile.Read(ref failed) == 0 && (piece = Interlocked.Increment(ref next)) < pieces)
                {
                    apart?.Note();
                    try
                    {
                        results[piece] = work(mine, piece * step, Math.Min(count, (piece + 1) * step));
                    }
                    catch
                    {
                        Volatile.Write(ref failed, 1);
                        throw;
                    }
                }
            }
            finally
            {
                (mine as IDisposable)?.Dispose();
            }
            return 0;
        }, threads, minimumPerThread);
        return results;
    }
}
