namespace ShmTools.Core.Shm;

/// <summary>
/// One shared-memory segment and who holds it. The same object is what PowerShell formats and
/// what <c>shmtools list --json</c> writes.
/// </summary>
public sealed record ShmSegment
{
    public required string Name { get; init; }
    public required SegmentKind Kind { get; init; }
    /// <summary>Where this host reaches it (for another namespace: through /proc/PID/root); a SysV segment's is /SYSV + key.</summary>
    public required string Path { get; init; }
    /// <summary>The tmpfs device as major:minor; null for SysV segments (they live on the kernel's internal mount).</summary>
    public string? Device { get; init; }
    /// <summary>The inode; for SysV segments, the shmid.</summary>
    public required ulong Inode { get; init; }
    /// <summary>Logical size (st_size, or the SysV segment size).</summary>
    public required long SizeBytes { get; init; }
    /// <summary>Memory actually used (tmpfs blocks, or SysV rss + swap).</summary>
    public required long ResidentBytes { get; init; }
    public string? Owner { get; init; }
    public uint? OwnerUid { get; init; }
    /// <summary>Permission bits as four octal digits, e.g. 0600.</summary>
    public string? Mode { get; init; }
    public DateTimeOffset? Modified { get; init; }
    public DateTimeOffset? Accessed { get; init; }
    /// <summary>Birth time, where the filesystem records it (tmpfs does).</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>Status change time (SysV: last shmctl change).</summary>
    public DateTimeOffset? Changed { get; init; }
    /// <summary>The program family that made it, from its name (pytorch, nccl, ...), or null.</summary>
    public string? Producer { get; init; }
    /// <summary>A creator pid read from the name or from SysV cpid; in the creator's pid namespace.</summary>
    public int? OwnerPidHint { get; init; }
    /// <summary>The process name of the creator, when that pid is alive and started before the segment was made.</summary>
    public string? Creator { get; init; }
    /// <summary>The mount namespace whose /dev/shm holds it, when it is not this process's own.</summary>
    public string? Namespace { get; init; }
    public int? SysVKey { get; init; }
    public int? SysVId { get; init; }
    public int? CreatorPid { get; init; }
    public int? LastPid { get; init; }
    /// <summary>SysV nattch: the kernel's own count of attachments.</summary>
    public int? AttachCount { get; init; }
    public required IReadOnlyList<Attachment> Attachments { get; init; }
    /// <summary>False when some process could not be read, so holders may be missing.</summary>
    public bool AttachmentsComplete => InvisibleProcesses.Count == 0;

    /// <summary>The processes whose maps or descriptors could not be read during the scan.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> InvisibleProcesses { get; init; } = [];

    public int HolderCount => Attachments.Select(a => a.Pid).Distinct().Count();

    /// <summary>How it reads where it is nested (e.g. in a liveness result): "/dev/shm/x (Posix, 64 KiB)".</summary>
    public override string ToString() => $"{Path} ({Kind}, {Text.ByteSize.Format(SizeBytes)})";
}
