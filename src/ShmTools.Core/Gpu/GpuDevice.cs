namespace ShmTools.Core.Gpu;

/// <summary>One GPU as the driver (or nvidia-smi, or a HAMi region) describes it.</summary>
public sealed record GpuDevice
{
    public required int Index { get; init; }
    public string? Uuid { get; init; }
    public string? Name { get; init; }
    public long? TotalBytes { get; init; }
    public long? UsedBytes { get; init; }
    public long? FreeBytes { get; init; }
    /// <summary>Memory the driver reserves (memory info v2 only).</summary>
    public long? ReservedBytes { get; init; }
    /// <summary>True with MIG enabled, false without, null where the driver does not say.</summary>
    public bool? MigEnabled { get; init; }
    public required string Source { get; init; }
    /// <summary>The built-in or user device profile that matches the device's name, if any.</summary>
    public string? Profile { get; init; }
}
