namespace ShmTools.Core.Planning.Exact;

/// <summary>
/// Buffers to place in one address space: each has a size and a half-open time interval.
/// Time is compressed to sections (the spans between consecutive interval ends), so a buffer
/// covers the sections <c>First[i]</c> up to, not including, <c>End[i]</c>.
/// </summary>
public sealed class PlacementProblem
{
    public required long[] Sizes { get; init; }
    public required int[] First { get; init; }
    public required int[] End { get; init; }
    public required int Sections { get; init; }
    /// <summary>Each buffer's lifetime in the problem's own time unit (upper minus lower).</summary>
    public required long[] Durations { get; init; }

    public int Count => Sizes.Length;

    /// <summary>From half-open intervals [lower, upper); upper must exceed lower.</summary>
    public static PlacementProblem FromIntervals(IReadOnlyList<long> lower, IReadOnlyList<long> upper, IReadOnlyList<long> sizes)
    {
        var points = lower.Concat(upper).Distinct().ToArray();
        Array.Sort(points);
        int n = sizes.Count;
        var first = new int[n];
        var end = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (upper[i] <= lower[i]) throw new ArgumentException($"buffer {i}: interval [{lower[i]}, {upper[i]}) is empty.");
            first[i] = Array.BinarySearch(points, lower[i]);
            end[i] = Array.BinarySearch(points, upper[i]);
        }
        return new PlacementProblem
        {
            Sizes = sizes.ToArray(), First = first, End = end, Sections = Math.Max(points.Length - 1, 0),
            Durations = Enumerable.Range(0, n).Select(i => upper[i] - lower[i]).ToArray(),
        };
    }

    /// <summary>From inclusive step ranges, as a device schedule gives lifetimes.</summary>
    public static PlacementProblem FromSteps(IReadOnlyList<(int First, int Last, long Size)> lifetimes) =>
        FromIntervals(lifetimes.Select(l => (long)l.First).ToList(), lifetimes.Select(l => (long)l.Last + 1).ToList(), lifetimes.Select(l => l.Size).ToList());

    /// <summary>The most bytes alive in one section: no placement has a lower peak.</summary>
    public long LowerBound()
    {
        var delta = new long[Sections + 1];
        for (int i = 0; i < Count; i++)
        {
            delta[First[i]] += Sizes[i];
            delta[End[i]] -= Sizes[i];
        }
        long live = 0, max = 0;
        foreach (var d in delta) { live += d; max = Math.Max(max, live); }
        return max;
    }

    /// <summary>The highest byte any buffer of this placement uses.</summary>
    public long PeakOf(long[] offsets)
    {
        long peak = 0;
        for (int i = 0; i < Count; i++) peak = Math.Max(peak, offsets[i] + Sizes[i]);
        return peak;
    }

    /// <summary>Whether two buffers are alive in a common section.</summary>
    public bool Overlap(int a, int b) => First[a] < End[b] && First[b] < End[a];

    /// <summary>
    /// How many pairs of buffers overlap in time, counted by one sweep (each buffer meets those
    /// alive when it starts), stopping once past <paramref name="limit"/>: the work of anything
    /// that compares every buffer with those it overlaps grows with this, not with the count.
    /// </summary>
    public long OverlapPairs(long limit = long.MaxValue)
    {
        var starts = new int[Sections + 1];
        var ends = new int[Sections + 1];
        for (int i = 0; i < Count; i++) { starts[First[i]]++; ends[End[i]]++; }
        long pairs = 0, alive = 0;
        for (int s = 0; s <= Sections && pairs <= limit; s++)
        {
            alive -= ends[s];
            long n = starts[s];
            pairs += alive * n + n * (n - 1) / 2;
            alive += n;
        }
        return pairs;
    }
}
