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
    public static long[] BySize(PlacementProblem p)
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
