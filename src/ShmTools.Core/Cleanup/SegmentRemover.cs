using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// The last step of a SysV cleanup, for one segment already judged and re-checked: remove it only
/// if it is still exactly that segment. POSIX files go through <see cref="PosixSegmentRemoval"/>.
/// </summary>
public static class SegmentRemover
{
    /// <summary>
    /// IPC_RMID, given a fresh row that still shows nattch 0, and only if the shmid still names
    /// that segment: IPC_STAT just before must show the same key and creation (ctime) and no
    /// attachment. Nothing attaches to look. An attach that wins the last microseconds before
    /// IPC_RMID keeps working (the kernel frees the memory at its detach); the key is then free.
    /// </summary>
    public static string? RemoveSysV(ShmSegment s, out long freed, out bool failed)
    {
        freed = 0;
        failed = false;
        if (s.SysVId is not { } id) return "no shmid";
        if (s.AttachCount != 0) return $"attached {s.AttachCount} time(s) now";
        int e = SysVControl.Stat(id, out var now);
        if (SysVControl.IsGone(e)) return "no longer exists";
        if (e == 0)
        {
            if (now.Key != s.SysVKey || s.Changed is not { } made || now.ChangeTime != made.ToUnixTimeSeconds())
                return $"shmid {id} now names another segment (key {SysVNames.KeyText(now.Key)})";
            if (now.AttachCount != 0) return $"attached {now.AttachCount} time(s) now";
            if (now.MarkedForRemoval) return "already marked for removal";
        }
        else if (e != Posix.EACCES)
        {
            failed = true;
            return $"IPC_STAT failed: {Errors.Describe(e)}";
        }
        // EACCES: not readable to this user; the row just read from /proc/sysvipc/shm decides.
        e = SysVControl.Remove(id);
        if (e != 0)
        {
            failed = !SysVControl.IsGone(e);
            return failed ? $"IPC_RMID failed: {Errors.Describe(e)}" : "no longer exists";
        }
        freed = s.ResidentBytes;
        return null;
    }
}
