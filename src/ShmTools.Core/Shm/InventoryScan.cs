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
    private readonly List<ShmSegment> _sysV;       // System V segments, filtered, made already
    private readonly Func<List<ShmSegment>> _unlisted; // held files no listed entry is, once every entry is marked listed
    private readonly ProcessHoldings _holdings;
    private readonly SegmentFilter _filter;
    private readonly SegmentAssembler _assembler;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _listing, _processPass;
    private readonly object _extrasLock = new();
    private bool _entriesMarked;
    private int _marked; // held files marked listed, once every entry is
    private HolderList?[]? _heldAt; // each entry's holders, when a streamed read marked them first
    private Extras? _extras;

    /// <summary>The segments that are no listed entry, sorted, and for each how many entries come before it.</summary>
    private sealed record Extras(List<ShmSegment> Segments, int[] At);

    internal InventoryScan(InventoryResult facts, List<PosixEntry> entries, List<ShmSegment> sysV, Func<List<ShmSegment>> unlisted,
        ProcessHoldings holdings, SegmentFilter filter, SegmentAssembler assembler, Stopwatch clock, TimeSpan listing, TimeSpan processPass)
    {
        Facts = facts;
        _entries = entries;
        _sysV = sysV;
        _unlisted = unlisted;
        _holdings = holdings;
        _filter = filter;
        _assembler = assembler;
        _clock = clock;
        _listing = listing;
        _processPass = processPass;
    }

    /// <summary>Held files marked listed before any entry was (those the listing passed over).</summary>
    internal int MarkedBefore { get; init; }

    /// <summary>What the scan as a whole found and could not see: roots, unreadable processes, ignored entries, warnings. Its <c>Segments</c> are empty; they come from <see cref="Batch"/>.</summary>
    public InventoryResult Facts { get; }

    /// <summary>How long the directory listing (with its sort) and the /proc pass took; they run side by side.</summary>
    public TimeSpan ListingTime => _listing;
    public TimeSpan ProcessPassTime => _processPass;

    /// <summary>Time since the scan began (the segments made so far included).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>How many batches there are; batch i comes before batch i + 1 in the inventory's order.</summary>
    public int BatchCount => _entries.Count > 0 ? (_entries.Count + BatchSize - 1) / BatchSize : ExtraSegments().Segments.Count > 0 ? 1 : 0;

    /// <summary>Makes the segments of batch <paramref name="index"/> (any thread; each batch is made anew when asked again).</summary>
    public IReadOnlyList<ShmSegment> Batch(int index)
    {
        if ((uint)index >= (uint)BatchCount) throw new ArgumentOutOfRangeException(nameof(index));
        var extras = ExtraSegments();
        int from = index * BatchSize, to = Math.Min(_entries.Count, from + BatchSize);
        var made = new List<ShmSegment>(to - from + 4);
        int x = LowerBound(extras.At.Length, i => extras.At[i] < from);
        for (int i = from; i < to; i++)
        {
            for (; x < extras.At.Length && extras.At[x] == i; x++) made.Add(extras.Segments[x]);
            if (Make(i) is { } s) made.Add(s);
        }
        if (index == BatchCount - 1)
            for (; x < extras.At.Length; x++) made.Add(extras.Segments[x]);
        return made;
    }

    /// <summary>Every segment in order, batch after batch, each made when it is reached.</summary>
    public IEnumerable<ShmSegment> Segments()
    {
        for (int b = 0; b < BatchCount; b++)
            foreach (var s in Batch(b)) yield return s;
    }

    /// <summary>
    /// Makes every segment and returns the whole result. The listed files are made on up to two
    /// threads, which mark their holders listed as they go; the held files left unmarked (unlisted)
    /// and the System V segments are then put in their places.
    /// </summary>
    public InventoryResult ToResult()
    {
        var assembleStart = _clock.Elapsed;
        var parts = Chunked.Pull(_entries.Count, BatchSize, (from, to) =>
        {
            var made = new List<ShmSegment>(to - from);
            int marked = 0;
            for (int i = from; i < to; i++)
                if (Make(i, ref marked) is { } s) made.Add(s);
            return (made, marked);
        }, minimumPerThread: 4 * BatchSize);
        lock (_extrasLock)
            if (!_entriesMarked)
            {
                _entriesMarked = true;
                _marked = MarkedBefore + parts.Sum(p => p.marked);
            }
        var extras = ExtraSegments();
        var all = new List<ShmSegment>(parts.Sum(p => p.made.Count) + extras.Segments.Count);
        foreach (var part in parts) all.AddRange(part.made);
        if (extras.Segments.Count > 0) all = Merged(all, extras.Segments);
        return Facts with
        {
            Segments = all,
            Elapsed = _clock.Elapsed,
            Timings = new InventoryTimings(_listing, _processPass, _clock.Elapsed - assembleStart),
        };
    }

    /// <summary>The segment of listed entry <paramref name="i"/> when the query wants it; marks its holders listed.</summary>
    private ShmSegment? Make(int i)
    {
        int marked = 0;
        return Make(i, ref marked);
    }

    /// <summary>The same, counting in <paramref name="marked"/> the held files it marked listed first.</summary>
    private ShmSegment? Make(int i, ref int marked)
    {
        var e = _entries[i];
        IReadOnlyList<Holding> holders = Array.Empty<Holding>();
        if ((Volatile.Read(ref _heldAt) is { } heldAt ? heldAt[i] : HeldOf(e)) is { } held)
        {
            if (held.MarkListed()) marked++;
            holders = held;
        }
        bool all = _filter.AcceptsAll;
        if (!all && !_filter.Accepts(e.Kind, e.Status.SizeBytes, e.Status.Uid, null, holders, static h => h.Pid)) return null;
        var s = _assembler.FromFile(e.Name, e.RawName, e.Root.Directory + "/" + e.Name, e.Root.Namespace, e.Status, holders);
        return all || _filter.Accepts(s) ? s : null;
    }

    private HolderList? HeldOf(PosixEntry e) => _holdings.Files.TryGetValue(new FileKey(e.Status.Device, e.Status.Inode), out var held) ? held : null;

    /// <summary>The unlisted and System V segments, found once: every listed entry's holders are marked first.</summary>
    private Extras ExtraSegments()
    {
        if (Volatile.Read(ref _extras) is { } done) return done;
        lock (_extrasLock)
        {
            if (_extras != null) return _extras;
            if (!_entriesMarked)
            {
                // Kept per entry, so the batches made after this look no holder up again.
                var heldAt = new HolderList?[_entries.Count];
                int marked = MarkedBefore;
                for (int i = 0; i < heldAt.Length; i++)
                    if ((heldAt[i] = HeldOf(_entries[i])) is { } held && held.MarkListed()) marked++;
                Volatile.Write(ref _heldAt, heldAt);
                _entriesMarked = true;
                _marked = marked;
            }
            // Every held file marked listed (counted exactly, each once): none is unlisted, and
            // the held files need not be gone through to find so.
            var segments = _marked == _holdings.Files.Count ? new List<ShmSegment>() : _unlisted();
            segments.AddRange(_sysV);
            // Two unlinked files may share a name: their inodes keep them in one order from scan to scan.
            segments.Sort(static (a, b) => SegmentOrder.Compare(a, b) is var c and not 0 ? c
                : string.CompareOrdinal(a.Device, b.Device) is var d and not 0 ? d : a.Inode.CompareTo(b.Inode));
            var at = new int[segments.Count];
            for (int i = 0; i < at.Length; i++) at[i] = EntriesBefore(segments[i]);
            Volatile.Write(ref _extras, new Extras(segments, at));
            return _extras;
        }
    }

    /// <summary>Both sorted lists as one, in order (the extras are few: each is placed by binary search).</summary>
    private static List<ShmSegment> Merged(List<ShmSegment> made, List<ShmSegment> extras)
    {
        var merged = new List<ShmSegment>(made.Count + extras.Count);
        int from = 0;
        foreach (var extra in extras)
        {
            int at = from + LowerBound(made.Count - from, i => SegmentOrder.Compare(made[from + i], extra) <= 0);
            merged.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(made)[from..at]);
            merged.Add(extra);
            from = at;
        }
        merged.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(made)[from..]);
        return merged;
    }

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
