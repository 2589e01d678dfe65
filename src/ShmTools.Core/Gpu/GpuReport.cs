namespace ShmTools.Core.Gpu;

/// <summary>What one look at the GPUs found, and what could not be read.</summary>
public sealed record GpuReport(IReadOnlyList<GpuDevice> Devices, IReadOnlyList<GpuAllocation> Allocations, IReadOnlyList<string> Warnings)
{
    /// <summary>The sources that answered (nvml, nvidia-smi, hami).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}
