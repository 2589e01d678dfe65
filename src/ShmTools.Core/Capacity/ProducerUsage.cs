namespace ShmTools.Core.Capacity;

/// <summary>How much one program family occupies on a shared-memory filesystem.</summary>
public sealed record ProducerUsage(string Producer, int Segments, long Bytes);
