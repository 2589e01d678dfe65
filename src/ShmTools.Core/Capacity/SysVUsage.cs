namespace ShmTools.Core.Capacity;

/// <summary>System V shared memory against the kernel's limits (kernel.shmmax, shmall, shmmni).</summary>
public sealed record SysVUsage
{
    public required int SegmentCount { get; init; }
    /// <summary>The sum of the segments' sizes.</summary>
    public required long SizeBytes { get; init; }
    /// <summary>Resident plus swapped memory of all segments.</summary>
    public required long ResidentBytes { get; init; }
    public required long StaleBytes { get; init; }
    public required long OrphanedBytes { get; init; }
    /// <summary>The largest segment one may create (kernel.shmmax); null when unreadable.</summary>
    public ulong? ShmMaxBytes { get; init; }
    /// <summary>All segments together may not exceed this (kernel.shmall pages times the page size).</summary>
    public ulong? ShmAllBytes { get; init; }
    /// <summary>The most segments the system allows (kernel.shmmni).</summary>
    public ulong? ShmMni { get; init; }
    /// <summary>SizeBytes over ShmAllBytes, 0-100.</summary>
    public double? PercentOfShmAll { get; init; }
    /// <summary>SegmentCount over ShmMni, 0-100.</summary>
    public double? PercentOfShmMni { get; init; }
}
