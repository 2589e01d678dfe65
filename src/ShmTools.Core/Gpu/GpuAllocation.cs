namespace ShmTools.Core.Gpu;

/// <summary>
/// Device memory held by one process on one GPU. PIDs come from the driver (host pid
/// namespace) or from a HAMi region; a pid that does not exist here is kept and marked.
/// </summary>
public sealed record GpuAllocation
{
    public required int DeviceIndex { get; init; }
    public string? DeviceUuid { get; init; }
    /// <summary>The pid (named like Get-ShmSegment's -ProcessId, so the two compose; "pid" in JSON).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("pid")]
    public required int ProcessId { get; init; }
    public string? ProcessName { get; init; }
    public string? User { get; init; }
    public string? CommandLine { get; init; }
    /// <summary>Bytes in use; null when the driver says "not available".</summary>
    public long? UsedBytes { get; init; }
    /// <summary>nvml, nvidia-smi or hami.</summary>
    public required string Source { get; init; }
    /// <summary>compute or graphics (driver lists); vgpu for HAMi slots.</summary>
    public string? Kind { get; init; }
    public string? ContainerId { get; init; }
    public string? PodUid { get; init; }
    /// <summary>The container's memory limit on this device (HAMi), null when unlimited or unknown.</summary>
    public long? LimitBytes { get; init; }
    /// <summary>False when the pid does not exist in this pid namespace (e.g. reported by the host driver inside a container).</summary>
    public bool VisibleHere { get; init; }
    /// <summary>HAMi: the slot's host process is dead but its accounting is still there (a leaked entry).</summary>
    public bool Stale { get; init; }
    /// <summary>HAMi: the pid inside the container (ProcessId is the host pid when known).</summary>
    public int? ContainerPid { get; init; }
    public long? ContextBytes { get; init; }
    public long? ModuleBytes { get; init; }
    public long? DataBytes { get; init; }
    /// <summary>HAMi: the region file the slot was read from.</summary>
    public string? Region { get; init; }
}
