using System.Globalization;

namespace ShmTools.Core.Shm;

/// <summary>
/// What makes a segment that segment, for finding it again before removal. A file is its place
/// (namespace and exact path, names compared by their bytes) and, to be the same one, its device
/// and inode. A System V segment is its shmid and, to be the same one, its key and creation time
/// (ctime): keys are not unique (every IPC_PRIVATE segment has key 0) and paths are not either
/// (they all map as /SYSV00000000).
/// </summary>
public static class SegmentIdentity
{
    /// <summary>Where to look for the segment again: equal for a segment and its replacement.</summary>
    public static string Place(ShmSegment s) => s.Kind == SegmentKind.SysV
        ? "sysv:" + (s.SysVId ?? -1).ToString(CultureInfo.InvariantCulture)
        : s.Kind.ToString() + ":" + s.Namespace + ":" + s.DisplayPath;

    /// <summary>True when <paramref name="now"/> is still the very segment <paramref name="then"/> was.</summary>
    public static bool Same(ShmSegment then, ShmSegment now) => then.Kind == SegmentKind.SysV
        ? now.SysVId == then.SysVId && now.SysVKey == then.SysVKey && now.Changed == then.Changed
        : now.Device == then.Device && now.Inode == then.Inode;
}
