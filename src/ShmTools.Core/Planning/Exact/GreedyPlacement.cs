namespace ShmTools.Core.Planning.Exact;

/// <summary>
/// Greedy by size on a placement problem: largest first (longer lifetime first among equals),
/// each at the smallest gap that fits among the placed buffers it overlaps in time, else above
/// the highest of them. The starting point the exact search improves on.
/// </summary>
public static class GreedyPlacement
{
    public static long[] BySize(PlacementProblem p)
    {
        int n = p.Count;
        var offsets = new long[n];
        var buckets = new List<int>[Math.Max(p.Sections, 1)];
        var stamp = new int[n];
        int round = 0;
        var overlapping = new List<int>();
        var order = Enumerable.Range(0, n).OrderByDescending(i => p.Sizes[i]).ThenByDescending(i => p.End[i] - p.First[i]).ThenBy(i => i);
        foreach (var b in order)
        {
            round++;
            overlapping.Clear();
            for (int s = p.First[b]; s < p.End[b]; s++)
                if (buckets[s] is { } list)
                    foreach (var o in list)
                        if (stamp[o] != round) { stamp[o] = round; overlapping.Add(o); }
            overlapping.Sort((x, y) => offsets[x].CompareTo(offsets[y]));
            long best = -1, bestGap = long.MaxValue, end = 0;
            foreach (var o in overlapping)
            {
                long gap = offsets[o] - end;
                if (gap >= p.Sizes[b] && gap < bestGap) { bestGap = gap; best = end; }
                end = Math.Max(end, offsets[o] + p.Sizes[o]);
            }
            offsets[b] = best >= 0 ? best : end;
            for (int s = p.First[b]; s < p.End[b]; s++) (buckets[s] ??= new List<int>()).Add(b);
        }
        return offsets;
    }
}
