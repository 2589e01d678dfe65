namespace ShmTools.Core.Planning.Exact;

/// <summary>
/// Greedy by size on a placement problem: largest first (longer lifetime first among equals),
/// each at the smallest gap that fits among the placed buffers it overlaps in time, else above
/// the highest of them. The starting point the exact search improves on. Placed buffers are
/// found through buckets of consecutive sections, as wide as an average lifetime, so a long-lived
/// buffer is met once per bucket rather than once per section.
/// </summary>
public static class GreedyPlacement
{
    /// <summary>
    /// Above this many overlapping pairs greedy by size (whose work grows with them) gives way to
    /// <see cref="Online"/>, whose work grows with the count alone.
    /// </summary>
    public const long MaxPairs = 20_000_000;

    public static long[] BySize(PlacementProblem p) => p.OverlapPairs(MaxPairs) > MaxPairs ? Online(p) : BySizeAmongOverlaps(p);

    /// <summary>
    /// Buffers placed in order of their start (larger first at one start) at the smallest free
    /// gap that fits, gaps freed as buffers end and merged with their neighbours, as an
    /// allocator running through time would: O(n log n) whatever the overlaps.
    /// </summary>
    public static long[] Online(PlacementProblem p)
    {
        int n = p.Count;
        var offsets = new long[n];
        var startsAt = new List<int>[p.Sections + 1];
        var endsAt = new List<int>[p.Sections + 1];
        for (int i = 0; i < n; i++)
        {
            (startsAt[p.First[i]] ??= new List<int>()).Add(i);
            (endsAt[p.End[i]] ??= new List<int>()).Add(i);
        }
        var bySize = new SortedSet<(long Size, long Offset)>();
        var offsetsOfGaps = new SortedSet<long>();
        var gapAt = new Dictionary<long, long>(); // gap offset -> size
        long top = 0;
        for (int s = 0; s <= p.Sections; s++)
        {
            if (endsAt[s] is { } ending)
                foreach (var b in ending) Free(offsets[b], p.Sizes[b]);
            if (startsAt[s] is not { } starting) continue;
            starting.Sort((x, y) => p.Sizes[y].CompareTo(p.Sizes[x]));
            foreach (var b in starting)
            {
                long size = p.Sizes[b];
                // Sizes are positive, so the default (0, 0) of an empty view is no gap.
                var (gapSize, gapOffset) = bySize.GetViewBetween((size, long.MinValue), (long.MaxValue, long.MaxValue)).Min;
                if (gapSize >= size && gapSize > 0)
                {
                    Remove(gapOffset, gapSize);
                    offsets[b] = gapOffset;
                    if (gapSize > size) Add(gapOffset + size, gapSize - size);
                }
                else
                {
                    offsets[b] = top;
                    top += size;
                }
            }
        }
        return offsets;

        void Add(long offset, long size)
        {
            bySize.Add((size, offset));
            offsetsOfGaps.Add(offset);
            gapAt[offset] = size;
        }

        void Remove(long offset, long size)
        {
            bySize.Remove((size, offset));
            offsetsOfGaps.Remove(offset);
            gapAt.Remove(offset);
        }

        void Free(long offset, long size)
        {
            if (size == 0) return;
            // Merged with the free gaps just below and just above, if they touch it.
            if (offset > 0)
            {
                // Max of an empty view is 0, which names a real gap only if one is at 0 (and then below).
                long k = offsetsOfGaps.GetViewBetween(long.MinValue, offset - 1).Max;
                if (gapAt.TryGetValue(k, out long v) && k < offset && k + v == offset) { Remove(k, v); offset = k; size += v; }
            }
            if (gapAt.TryGetValue(offset + size, out long above)) { Remove(offset + size, above); size += above; }
            if (offset + size == top) top = offset; // the top comes down
            else Add(offset, size);
        }
    }

    private static long[] BySizeAmongOverlaps(PlacementProblem p)
    {
        int n = p.Count;
        var offsets = new long[n];
        long spans = 0;
        for (int i = 0; i < n; i++) spans += p.End[i] - p.First[i];
        int width = (int)Math.Max(1, n == 0 ? 1 : spans / n);
        var buckets = new List<int>[Math.Max(p.Sections, 1) / width + 1];
        var stamp = new int[n];
        int round = 0;
        var overlapping = new List<int>();
        var order = Enumerable.Range(0, n).OrderByDescending(i => p.Sizes[i]).ThenByDescending(i => p.End[i] - p.First[i]).ThenBy(i => i);
        foreach (var b in order)
        {
            round++;
            overlapping.Clear();
            for (int k = p.First[b] / width; k <= (p.End[b] - 1) / width; k++)
                if (buckets[k] is { } list)
                    foreach (var o in list)
                        if (stamp[o] != round && p.Overlap(o, b)) { stamp[o] = round; overlapping.Add(o); }
            overlapping.Sort((x, y) => offsets[x].CompareTo(offsets[y]));
            long best = -1, bestGap = long.MaxValue, end = 0;
            foreach (var o in overlapping)
            {
                long gap = offsets[o] - end;
                if (gap >= p.Sizes[b] && gap < bestGap) { bestGap = gap; best = end; }
                end = Math.Max(end, offsets[o] + p.Sizes[o]);
            }
            offsets[b] = best >= 0 ? best : end;
            for (int k = p.First[b] / width; k <= (p.End[b] - 1) / width; k++) (buckets[k] ??= new List<int>()).Add(b);
        }
        return offsets;
    }
}
