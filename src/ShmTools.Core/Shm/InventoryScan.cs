using System.Diagnostics;
using ShmTools.Core.Processes;
using ShmTools.Core.Threading;

namespace ShmTools.Core.Shm;

/// <summary>
/// One scan whose segments are made as they are read out, batch by batch, in the inventory's
/// final order: the /proc pass and the directory listing are done when it is returned, the
/// segments are not. A front end that streams (shmtools list) writes each batch and lets it go,
/// so the output of a large host is never held whole; <see cref="ToResult"/> makes them all.
/// </summary>
public sealed class InventoryScan
{
    /// <summary>Listed files per batch.</summary>
    public const int BatchSize = 512;

    private readonly List<PosixEntry> _entries;    // sorted by SegmentOrder
    private readonly List<ShmSegment> _extras;     // unlisted and System V segments, sorted, made already
    private readonly int[] _extraAt;               // for each extra, how many entries come before it
    private readonly ProcessHoldings _holdings;
    private readonly SegmentFilter _filter;
    private readonly SegmentAssembler _assembler;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _listing, _processPass;

    internal InventoryScan(InventoryResult facts, List<PosixEntry> entries, List<ShmSegment> extras, ProcessHoldings holdings,
        SegmentFilter filter, SegmentAssembler assembler, Stopwatch clock, TimeSpan listing, TimeSpan processPass)
    {
        Facts = facts;
        _entries = entries;
        _extras = extras;
        _holdings = holdings;
        _filter = filter;
        _assembler = assembler;
        _clock = clock;
        _listing = listing;
        _processPass = processPass;
        _extraAt = new int[extras.Count];
        for (int i = 0; i < extras.Count; i++) _extraAt[i] = EntriesBefore(extras[i]);
        BatchCount = entries.Count == 0 ? (extras.Count > 0 ? 1 : 0) : (entries.Count + BatchSize - 1) / BatchSize;
    }

    /// <summary>What the scan as a whole found and could not see: roots, unreadable processes, ignored entries, warnings. Its <c>Segments</c> are empty; they come from <see cref="Batch"/>.</summary>
    public InventoryResult Facts { get; }

    /// <summary>How long the directory listing (with its sort) and the /proc pass took; they run side by side.</summary>
    public TimeSpan ListingTime => _listing;
    public TimeSpan ProcessPassTime => _processPass;

    /// <summary>Time since the scan began (the segments made so far included).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>How many batches there are; batch i comes before batch i + 1 in the inventory's order.</summary>
    public int BatchCount { get; }

    /// <summary>Makes the segments of batch <paramref name="index"/> (any thread; each batch is made anew when asked again).</summary>
    public IReadOnlyList<ShmSegment> Batch(int index)
    {
        if ((uint)index >= (uint)BatchCount) throw new ArgumentOutOfRangeException(nameof(index));
        int from = index * BatchSize, to = Math.Min(_entries.Count, from + BatchSize);
        bool last = index == BatchCount - 1;
        var made = new List<ShmSegment>(to - from + 4);
        int x = FirstExtraAt(from);
        for (int i = from; i < to; i++)
        {
            for (; x < _extras.Count && _extraAt[x] == i; x++) made.Add(_extras[x]);
            var e = _entries[i];
            var holders = _holdings.HoldersOf(new FileKey(e.Status.Device, e.Status.Inode));
            if (!_filter.Accepts(e.Kind, e.Status.SizeBytes, e.Status.Uid, null, holders, static h => h.Pid)) continue;
            var s = _assembler.FromFile(e.Name, e.RawName, e.Root.Directory + "/" + e.Name, e.Root.Namespace, e.Status, holders);
            if (_filter.Accepts(s)) made.Add(s);
        }
        if (last)
            for (; x < _extras.Count; x++) made.Add(_extras[x]);
        return made;
    }

    /// <summary>Every segment in order, batch after batch, each made when it is reached.</summary>
    public IEnumerable<ShmSegment> Segments()
    {
        for (int b = 0; b < BatchCount; b++)
            foreach (var s in Batch(b)) yield return s;
    }

    /// <summary>Makes every segment (on up to two threads) and returns the whole result.</summary>
    public InventoryResult ToResult()
    {
        var assembleStart = _clock.Elapsed;
        var all = new List<ShmSegment>(_entries.Count + _extras.Count);
        var indices = Enumerable.Range(0, BatchCount).ToArray();
        foreach (var part in Chunked.Run(indices, (list, from, to) =>
        {
            var made = new List<ShmSegment>((to - from) * BatchSize);
            for (int i = from; i < to; i++) made.AddRange(Batch(list[i]));
            return made;
        }, minimumPerThread: 4))
            all.AddRange(part);
        return Facts with
        {
            Segments = all,
            Elapsed = _clock.Elapsed,
            Timings = new InventoryTimings(_listing, _processPass, _clock.Elapsed - assembleStart),
        };
    }

    /// <summary>The first extra placed at or after entry <paramref name="entryIndex"/>.</summary>
    private int FirstExtraAt(int entryIndex) => LowerBound(_extraAt.Length, i => _extraAt[i] < entryIndex);

    /// <summary>How many listed entries sort before (or equal to) <paramref name="extra"/>.</summary>
    private int EntriesBefore(ShmSegment extra) => LowerBound(_entries.Count, i => SegmentOrder.Compare(_entries[i], extra) <= 0);

    /// <summary>The first index in [0, count) where <paramref name="before"/> turns false (it is true for a prefix).</summary>
    private static int LowerBound(int count, Func<int, bool> before)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (before(mid)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
