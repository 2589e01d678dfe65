namespace ShmTools.Core.Planning.Buffers;

/// <summary>A buffer of a buffer list with the byte offset the plan gives it.</summary>
public sealed record PlacedBuffer(string Id, long Lower, long Upper, long Size, long Offset);
