namespace ShmTools.Core.Planning.Buffers;

/// <summary>The plan of a buffer list: every buffer's offset and the figures it is judged by.</summary>
public sealed record BufferPlan
{
    public required string File { get; init; }
    /// <summary>The end of the highest buffer.</summary>
    public required long PeakBytes { get; init; }
    /// <summary>The most bytes alive at one time: no placement has a smaller peak.</summary>
    public required long LowerBoundBytes { get; init; }
    /// <summary>The capacity asked for (null: none, the peak was minimised).</summary>
    public long? CapacityBytes { get; init; }
    /// <summary>Whether the peak is within the capacity (null without one).</summary>
    public bool? FitsCapacity { get; init; }
    /// <summary>With a capacity and no fitting placement: whether the search proved that none exists.</summary>
    public bool ProvenInfeasible { get; init; }
    /// <summary>Whether no placement has a smaller peak (reached the lower bound, or the search proved it).</summary>
    public required bool ProvenOptimal { get; init; }
    /// <summary>What produced the offsets: greedy-by-size, or exact.</summary>
    public required string Strategy { get; init; }
    public required double SolveSeconds { get; init; }
    public required long SearchNodes { get; init; }
    public required IReadOnlyList<PlacedBuffer> Buffers { get; init; }

    public double PeakOverLowerBound => LowerBoundBytes == 0 ? 1 : (double)PeakBytes / LowerBoundBytes;
}
