using ShmTools.Core.Capacity;
using ShmTools.Core.Gpu;

namespace ShmTools.Core.Metrics;

/// <summary>What one collection of metrics looks at, and how many series it may write.</summary>
public sealed record MetricsOptions
{
    public UsageQuery Usage { get; init; } = new();
    /// <summary>Read GPU memory too (NVML, nvidia-smi, HAMi); no GPU series when no source answers.</summary>
    public bool Gpu { get; init; } = true;
    public GpuQuery GpuQuery { get; init; } = new();
    /// <summary>Write one series per segment (name, kind, verdict), up to <see cref="SegmentSeriesLimit"/>, largest first.</summary>
    public bool PerSegment { get; init; }
    public int SegmentSeriesLimit { get; init; } = 100;
    /// <summary>At most this many mounts (largest used first) and GPU processes get their own series.</summary>
    public int MountSeriesLimit { get; init; } = 256;
    public int GpuProcessSeriesLimit { get; init; } = 64;
}
