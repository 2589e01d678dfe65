using ShmTools.Core.Planning.Exact;

namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// The exact stage for a device's tensors: starts from the best heuristic placement and searches
/// for the smallest peak (<see cref="ExactPlacementSolver"/>) within the time limit. Sizes are
/// already rounded to the device's alignment and offsets are sums of sizes, so every offset
/// keeps the alignment. Tensors never share memory here (no in-place writes).
/// </summary>
public static class ExactAllocator
{
    public static (Placement Placement, ExactSolution Solution) Allocate(DeviceSchedule s, Placement start, TimeSpan timeLimit)
    {
        var problem = PlacementProblem.FromSteps(s.Lifetimes.Select(t => (t.First, t.Last, t.Size)).ToList());
        // A start that shares memory in place is not a placement of this problem: begin from scratch then.
        bool shares = start.InPlaceOf is { } ip && ip.Any(v => v >= 0);
        var initial = shares ? GreedyPlacement.BySize(problem) : start.Offsets;
        var solution = ExactPlacementSolver.Solve(problem, initial, timeLimit);
        return (FromOffsets("exact", solution.Offsets, s.Lifetimes.Select(t => t.Size).ToArray(), solution.Peak), solution);
    }

    /// <summary>A placement with one block per distinct offset (the span the tensors placed there need).</summary>
    public static Placement FromOffsets(string strategy, long[] offsets, long[] sizes, long peak)
    {
        var blocks = new List<MemoryBlock>();
        var blockOf = new int[offsets.Length];
        foreach (var g in offsets.Select((o, i) => (o, i)).GroupBy(x => x.o).OrderBy(g => g.Key))
        {
            int b = blocks.Count;
            blocks.Add(new MemoryBlock(b, g.Key, g.Max(x => sizes[x.i]), g.Count()));
            foreach (var x in g) blockOf[x.i] = b;
        }
        return new Placement(strategy, (long[])offsets.Clone(), blockOf, blocks, peak);
    }
}
