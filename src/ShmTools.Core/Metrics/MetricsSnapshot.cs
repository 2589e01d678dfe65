using ShmTools.Core.Capacity;

namespace ShmTools.Core.Metrics;

/// <summary>One collection: the exposition text and what it was made from.</summary>
public sealed record MetricsSnapshot(string Text, ShmUsageReport Usage, DateTimeOffset CollectedAt, TimeSpan Duration)
{
    /// <summary>Why GPU series are missing (no source answered), or null.</summary>
    public string? GpuUnavailable { get; init; }
}
