namespace ShmTools.Core.Planning.Plan;

/// <summary>The result of one allocator: an offset and a block per lifetime, and the arena size.</summary>
public sealed record Placement(string Strategy, long[] Offsets, int[] Blocks, IReadOnlyList<MemoryBlock> BlockList, long Peak);
