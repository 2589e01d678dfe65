using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// The last step of a cleanup, for one segment already judged and re-checked: remove it only
/// if it is still exactly that segment. A POSIX file is reached through its open directory
/// (never a path walk, never a link), must be a regular file on that tmpfs with one name and
/// the same device and inode, is locked exclusively (so a cooperating opener cannot take it
/// meanwhile), renamed to a private name, verified again by inode, and only then unlinked.
/// </summary>
public static class SegmentRemover
{
    /// <summary>Returns null when removed (bytes freed in <paramref name="freed"/>), or why not.</summary>
    public static string? RemovePosix(ShmSegment s, out long freed, out bool failed)
    {
        freed = 0;
        failed = false;
        DirectoryHandle dir;
        byte[] name = s.EntryName(); // the exact bytes: a name that is not UTF-8 stays removable
        try
        {
            dir = DirectoryHandle.OpenParent(s.Path, out _);
        }
        catch (IOException ex)
        {
            failed = true;
            return ex.Message;
        }
        using (dir)
        {
            if (dir.Status(out var dst) != 0 || Posix.FileSystemType(dir.Path, out long magic) != 0 || magic != Posix.TmpfsMagic)
                return $"{dir.Path} is not a tmpfs: nothing is removed outside one";
            int e = dir.Stat(name, out var st);
            if (e != 0) return Posix.IsGone(e) ? "no longer exists" : $"cannot stat: {Errors.Describe(e)}";
            if (st.Type != UnixFileType.RegularFile) return $"is now a {st.Type}, not a regular file";
            if (st.Device != dst.Device) return "is not on the directory's tmpfs";
            if (st.Device.ToString() != s.Device || st.Inode != s.Inode) return "was replaced by another file since it was checked";
            if (st.LinkCount != 1) return $"has {st.LinkCount} names: removing one would free nothing";

            int fd = dir.OpenFile(name);
            if (fd < 0)
            {
                failed = -fd != Posix.ENOENT;
                return failed ? $"cannot open: {Errors.Describe(-fd)}" : "no longer exists";
            }
            try
            {
                if (Posix.StatFd(fd, out var fst) != 0 || fst.Inode != s.Inode || fst.Device != st.Device)
                    return "was replaced by another file while being opened";
                if (FileLocks.OfdLock(fd, exclusive: true, wait: false, out _) != FileLocks.Attempt.Acquired)
                    return "a lock lease was taken on it just now";
                if (FileLocks.Flock(fd, exclusive: true, out _) != FileLocks.Attempt.Acquired)
                    return "a flock was taken on it just now";

                byte[] parked = DirectoryHandle.Z(".shmtools-removing-" + Guid.NewGuid().ToString("N")[..12]);
                e = dir.RenameNoReplace(name, parked);
                if (e != 0)
                {
                    failed = !Posix.IsGone(e);
                    return failed ? $"cannot rename for removal: {Errors.Describe(e)}" : "no longer exists";
                }
                if (dir.Stat(parked, out var pst) != 0 || pst.Inode != s.Inode || pst.Device != st.Device)
                {
                    dir.RenameNoReplace(parked, name);
                    return "was swapped for another file during removal; put back";
                }
                e = dir.Unlink(parked);
                if (e != 0)
                {
                    dir.RenameNoReplace(parked, name);
                    failed = true;
                    return $"cannot unlink: {Errors.Describe(e)}";
                }
                freed = fst.AllocatedBytes;
                return null;
            }
            finally
            {
                Posix.Close(fd);
            }
        }
    }

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
