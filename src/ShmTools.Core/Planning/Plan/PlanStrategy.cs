namespace ShmTools.Core.Planning.Plan;

/// <summary>How blocks are assigned.</summary>
public enum PlanStrategy
{
    /// <summary>Run every heuristic, keep the smallest peak, then improve it with the exact search (within the time limit).</summary>
    Auto,
    /// <summary>The seed method: use counts, first-fit reuse of free blocks, new blocks otherwise.</summary>
    UseCount,
    /// <summary>The seed method plus in-place reuse: an element-wise operator writes over an input that dies there.</summary>
    UseCountInPlace,
    /// <summary>Offset calculation: largest first, each at the best-fitting gap among time-overlapping tensors.</summary>
    GreedyBySize,
    /// <summary>Exact search for the smallest peak from the best heuristic placement: optimal when proven, the best found at the time limit otherwise.</summary>
    Exact,
}
