namespace ShmTools.Core.Planning.Plan;

/// <summary>The result of one allocator: an offset and a block per lifetime, and the arena size.</summary>
public sealed record Placement(string Strategy, long[] Offsets, int[] Blocks, IReadOnlyList<MemoryBlock> BlockList, long Peak)
{
    /// <summary>Per lifetime, the lifetime whose memory it overwrites in place (-1: none).</summary>
    public int[]? InPlaceOf { get; init; }
}
