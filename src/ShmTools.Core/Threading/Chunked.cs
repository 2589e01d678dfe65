namespace ShmTools.Core.Threading;

/// <summary>
/// Runs work over contiguous chunks of a list on dedicated threads (the caller's thread takes
/// the first chunk). Used where a scan is CPU-bound and a pool's warm-up would cost more than
/// the work; results come back in input order.
/// </summary>
public static class Chunked
{
    /// <summary>Below this many items per extra thread (unless the caller says otherwise) the work stays on the caller's thread.</summary>
    public const int MinimumPerThread = 2048;

    public static TOut[] Run<TIn, TOut>(IReadOnlyList<TIn> items, Func<IReadOnlyList<TIn>, int, int, TOut> work, int? threads = null, int minimumPerThread = MinimumPerThread)
    {
        int n = Math.Max(1, Math.Min(threads ?? Environment.ProcessorCount, items.Count / Math.Max(1, minimumPerThread)));
        var results = new TOut[n];
        var errors = new Exception?[n];
        var workers = new Thread[n - 1];
        int size = (items.Count + n - 1) / n;
        for (int t = 1; t < n; t++)
        {
            int chunk = t;
            workers[t - 1] = new Thread(() =>
            {
                try { results[chunk] = work(items, chunk * size, Math.Min(items.Count, (chunk + 1) * size)); }
                catch (Exception ex) { errors[chunk] = ex; }
            }) { IsBackground = true, Name = "shmtools-chunk-" + t };
            workers[t - 1].Start();
        }
        results[0] = work(items, 0, Math.Min(items.Count, size));
        foreach (var w in workers) w.Join();
        foreach (var e in errors)
            if (e != null) throw new AggregateException(e);
        return results;
    }
}
