namespace ShmTools.Core.Shm;

/// <summary>What sort of shared-memory object a segment is.</summary>
public enum SegmentKind
{
    /// <summary>A named POSIX object: a regular file in /dev/shm.</summary>
    Posix,
    /// <summary>A System V segment (shmget).</summary>
    SysV,
    /// <summary>A named POSIX semaphore: <c>sem.*</c> in /dev/shm.</summary>
    Semaphore,
    /// <summary>An unlinked tmpfs file still mapped or open: memory no <c>ls</c> shows.</summary>
    Deleted,
}
