namespace ShmTools.Core.Planning.Plan;

/// <summary>The memory plan of one device, with the figures it is judged by.</summary>
public sealed record DevicePlan
{
    public required string Name { get; init; }
    public required long CapacityBytes { get; init; }
    /// <summary>Capacity minus reserved memory: what blocks are planned in.</summary>
    public required long TargetBytes { get; init; }
    public required long ReservedBytes { get; init; }
    /// <summary>Activation arena size: the end of the highest block.</summary>
    public required long PeakBytes { get; init; }
    /// <summary>The most bytes alive at any one step: no plan of this schedule can use less.</summary>
    public required long LowerBoundBytes { get; init; }
    /// <summary>Every tensor its own buffer.</summary>
    public required long NaiveBytes { get; init; }
    public required long WeightsBytes { get; init; }
    /// <summary>How much of the reserved memory the plan needs because the target was not enough.</summary>
    public required long CompensationBytes { get; init; }
    /// <summary>How far weights plus peak exceed the whole capacity (0 when it fits).</summary>
    public required long OverflowBytes { get; init; }
    public required bool Fits { get; init; }
    public required string Strategy { get; init; }
    public required int ComputeUnits { get; init; }
    public required int AlignmentBytes { get; init; }
    public required int Steps { get; init; }
    public required IReadOnlyList<SubFunction> SubFunctions { get; init; }
    public required IReadOnlyList<MemoryBlock> Blocks { get; init; }
    /// <summary>Every tensor's placement (shown with -Detailed / --detailed).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TensorPlacement>? Tensors { get; init; }
    /// <summary>Peak of every strategy that was run (auto keeps the smallest).</summary>
    public IReadOnlyDictionary<string, long> PeakByStrategy { get; init; } = new Dictionary<string, long>();

    /// <summary>Whether no placement of this schedule has a smaller peak (reached the lower bound, or the exact search proved it).</summary>
    public bool ProvenOptimal { get; init; }
    /// <summary>No placement of this schedule has a smaller peak than this (the lower bound, or higher when the exact search proved it).</summary>
    public long ProvenFloorBytes { get; init; }
    /// <summary>Seconds the exact search ran (0 when it did not run).</summary>
    public double ExactSeconds { get; init; }

    public double PeakOverLowerBound => LowerBoundBytes == 0 ? 1 : (double)PeakBytes / LowerBoundBytes;
    public double NaiveOverPeak => PeakBytes == 0 ? 1 : (double)NaiveBytes / PeakBytes;
}
