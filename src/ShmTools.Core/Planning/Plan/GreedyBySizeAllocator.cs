namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// Greedy by size for offset calculation: tensors largest first, each placed at the smallest
/// gap that fits among the already placed tensors whose lifetimes overlap its own — the gap
/// before the lowest of them included — or right above the highest. Overlaps are found through
/// per-step buckets, so the work follows the number of overlapping tensors, not all pairs.
/// </summary>
public static class GreedyBySizeAllocator
{
    /// <summary>
    /// The placement order: by size (the published order), or by breadth — the tensors of the
    /// busiest step first (largest first within a step), then those of the next busiest.
    /// </summary>
    public static Placement Allocate(DeviceSchedule s, bool byBreadth = false)
    {
        var lifetimes = s.Lifetimes;
        var offsets = new long[lifetimes.Count];
        var placed = new bool[lifetimes.Count];
        var buckets = new List<int>[Math.Max(s.Steps, 1)];
        var stamp = new int[lifetimes.Count];
        int round = 0;
        var overlapping = new List<int>();
        long peak = 0;
        var order = byBreadth ? BreadthOrder(s) : lifetimes.OrderByDescending(t => t.Size).ThenBy(t => t.First).ThenBy(t => t.Id);
        foreach (var t in order)
        {
            round++;
            overlapping.Clear();
            for (int step = t.First; step <= t.Last; step++)
                if (buckets[step] is { } list)
                    foreach (var other in list)
                        if (stamp[other] != round) { stamp[other] = round; overlapping.Add(other); }
            overlapping.Sort((a, b) => offsets[a].CompareTo(offsets[b]));
            long bestOffset = -1, bestGap = long.MaxValue, end = 0;
            foreach (var o in overlapping)
            {
                long gap = offsets[o] - end;
                if (gap >= t.Size && gap < bestGap) { bestGap = gap; bestOffset = end; }
                end = Math.Max(end, offsets[o] + lifetimes[o].Size);
            }
            long at = bestOffset >= 0 ? bestOffset : end;
            offsets[t.Id] = at;
            placed[t.Id] = true;
            peak = Math.Max(peak, at + t.Size);
            for (int step = t.First; step <= t.Last; step++) (buckets[step] ??= new List<int>()).Add(t.Id);
        }
        // Report each distinct offset as a block (the span the tensors placed there need).
        var distinct = offsets.Select((o, i) => (o, i)).GroupBy(x => x.o).OrderBy(g => g.Key).ToList();
        var blocks = new List<MemoryBlock>();
        var blockOf = new int[lifetimes.Count];
        foreach (var g in distinct)
        {
            int b = blocks.Count;
            blocks.Add(new MemoryBlock(b, g.Key, g.Max(x => lifetimes[x.i].Size), g.Count()));
            foreach (var x in g) blockOf[x.i] = b;
        }
        return new Placement(byBreadth ? "greedy-by-breadth" : "greedy-by-size", offsets, blockOf, blocks, peak);
    }

    private static IEnumerable<Lifetime> BreadthOrder(DeviceSchedule s)
    {
        var alive = new List<int>[Math.Max(s.Steps, 1)];
        var breadth = new long[Math.Max(s.Steps, 1)];
        foreach (var t in s.Lifetimes)
            for (int step = t.First; step <= t.Last; step++)
            {
                (alive[step] ??= new List<int>()).Add(t.Id);
                breadth[step] += t.Size;
            }
        var done = new bool[s.Lifetimes.Count];
        foreach (int step in Enumerable.Range(0, breadth.Length).OrderByDescending(i => breadth[i]).ThenBy(i => i))
        {
            if (alive[step] == null) continue;
            foreach (var id in alive[step].OrderByDescending(i => s.Lifetimes[i].Size).ThenBy(i => i))
                if (!done[id]) { done[id] = true; yield return s.Lifetimes[id]; }
        }
    }
}
