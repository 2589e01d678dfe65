namespace ShmTools.Core.Planning.Exact;

/// <summary>
/// The exact solver's answer: the best placement it has (offsets per buffer and their peak),
/// whether that peak is proven minimal (or, with a capacity, whether fitting or not is proven),
/// and what the search cost.
/// </summary>
public sealed record ExactSolution(long[] Offsets, long Peak, bool ProvenOptimal, long Nodes, TimeSpan Elapsed)
{
    /// <summary>With a capacity: Found when the placement fits it, Infeasible when none can, TimedOut when unknown.</summary>
    public PackOutcome? CapacityOutcome { get; init; }
    /// <summary>No placement has a smaller peak: the lower bound, raised by every capacity proven too small.</summary>
    public long ProvenFloor { get; init; }
}
