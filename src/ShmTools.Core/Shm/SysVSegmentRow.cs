namespace ShmTools.Core.Shm;

/// <summary>One row of /proc/sysvipc/shm.</summary>
public sealed record SysVSegmentRow(
    int Key,
    int Id,
    uint Permissions,
    long Size,
    int CreatorPid,
    int LastPid,
    int AttachCount,
    uint Uid,
    uint Gid,
    uint CreatorUid,
    uint CreatorGid,
    long AttachTime,
    long DetachTime,
    long ChangeTime,
    long ResidentBytes,
    long SwapBytes);
