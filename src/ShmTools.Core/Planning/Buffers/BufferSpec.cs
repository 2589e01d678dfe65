namespace ShmTools.Core.Planning.Buffers;

/// <summary>One buffer of a buffer list: alive over the half-open interval [Lower, Upper), Size bytes.</summary>
public sealed record BufferSpec(string Id, long Lower, long Upper, long Size);
