namespace ShmTools.Core.Capacity;

/// <summary>
/// One shared-memory filesystem (a /dev/shm tmpfs, one row per device): its capacity, what the
/// segments on it occupy by verdict, who makes them and who holds them. The same object is what
/// Get-ShmUsage writes and what <c>shmtools df --json</c> prints under "mounts".
/// </summary>
public sealed record ShmMountUsage
{
    /// <summary>Where this host reaches it (another namespace's: through /proc/PID/root).</summary>
    public required string Path { get; init; }
    /// <summary>The tmpfs device as major:minor.</summary>
    public required string Device { get; init; }
    /// <summary>The mount namespace it was found through; null for this process's own /dev/shm.</summary>
    public string? Namespace { get; init; }
    /// <summary>The process whose /proc/PID/root led to it; null for this process's own.</summary>
    public int? ViaPid { get; init; }
    /// <summary>The container of <see cref="ViaPid"/>, from its cgroup.</summary>
    public string? ContainerId { get; init; }
    /// <summary>The Kubernetes pod of <see cref="ViaPid"/>, from its cgroup.</summary>
    public string? PodUid { get; init; }
    /// <summary>The size limit (tmpfs size=); 0 when the filesystem reports none.</summary>
    public required long SizeBytes { get; init; }
    public required long UsedBytes { get; init; }
    /// <summary>What a writer may still allocate.</summary>
    public required long FreeBytes { get; init; }
    /// <summary>Used over size, 0-100; null when there is no size limit or it could not be read.</summary>
    public double? PercentUsed { get; init; }
    /// <summary>Files on it the scan saw (segments, semaphores, unlinked-but-held files).</summary>
    public required int SegmentCount { get; init; }
    /// <summary>Memory occupied (allocated blocks) by segments judged Live.</summary>
    public required long LiveBytes { get; init; }
    public required long StaleBytes { get; init; }
    public required long OrphanedBytes { get; init; }
    public required long UnknownBytes { get; init; }
    /// <summary>The program families occupying the most memory on it, largest first ("(unrecognised)" for names no rule knows).</summary>
    public required IReadOnlyList<ProducerUsage> TopProducers { get; init; }
    /// <summary>The processes holding the most of it (the memory of the segments each maps or holds open), largest first.</summary>
    public required IReadOnlyList<HolderUsage> TopHolders { get; init; }
    /// <summary>How many distinct processes hold something on it.</summary>
    public required int HolderCount { get; init; }
    /// <summary>Null when the capacity was read; otherwise why not.</summary>
    public string? Error { get; init; }
}
