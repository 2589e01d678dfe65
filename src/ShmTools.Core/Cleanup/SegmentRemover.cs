using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// The last step of a SysV cleanup, for one segment already judged and re-checked: remove it only
/// if it is still exactly that segment. POSIX files go through <see cref="PosixSegmentRemoval"/>.
/// </summary>
public static class SegmentRemover
{
    /// <summary>IPC_RMID, given a fresh row that still shows nattch 0.</summary>
    public static string? RemoveSysV(ShmSegment s, out long freed, out bool failed)
    {
        freed = 0;
        failed = false;
        if (s.SysVId is not { } id) return "no shmid";
        if (s.AttachCount != 0) return $"attached {s.AttachCount} time(s) now";
        int e = SysVControl.Remove(id);
        if (e != 0)
        {
            failed = e != Posix.EINVAL;
            return failed ? $"IPC_RMID failed: {Errors.Describe(e)}" : "no longer exists";
        }
        freed = s.ResidentBytes;
        return null;
    }
}
