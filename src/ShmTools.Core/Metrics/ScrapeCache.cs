namespace ShmTools.Core.Metrics;

/// <summary>
/// Collects at most once per <see cref="MinimumInterval"/>: a scrape within it gets the last
/// snapshot, and concurrent scrapes while a collection runs wait for that one collection
/// instead of starting their own. A scrape storm costs the host one scan per interval.
/// </summary>
public sealed class ScrapeCache(Func<MetricsSnapshot> collect, TimeSpan minimumInterval)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MetricsSnapshot? _last;
    private long _lastAtMs;
    private long _collections;

    public TimeSpan MinimumInterval => minimumInterval;

    /// <summary>How many collections have run.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    /// <summary>The last snapshot, or null before the first collection.</summary>
    public MetricsSnapshot? Last => Volatile.Read(ref _last);

    public async Task<MetricsSnapshot> GetAsync(CancellationToken cancel)
    {
        if (Fresh(out var cached)) return cached;
        await _gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (Fresh(out cached)) return cached;
            var snapshot = await Task.Run(collect, cancel).ConfigureAwait(false);
            Interlocked.Increment(ref _collections);
            // A scan of many segments leaves tens of MiB of garbage; a long-running exporter under a
            // memory limit gives it back now rather than at the runtime's leisure.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Volatile.Write(ref _lastAtMs, Environment.TickCount64);
            Volatile.Write(ref _last, snapshot);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool Fresh(out MetricsSnapshot snapshot)
    {
        snapshot = Volatile.Read(ref _last)!;
        return snapshot != null && Environment.TickCount64 - Volatile.Read(ref _lastAtMs) < (long)minimumInterval.TotalMilliseconds;
    }
}
