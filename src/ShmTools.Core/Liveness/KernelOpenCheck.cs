using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Liveness;

/// <summary>
/// Asks the kernel whether anybody anywhere has a POSIX segment open: the question a /proc pass
/// cannot answer for processes it does not see (another pid namespace, hidepid, a thread's
/// private descriptor table, an unreadable process). The segment is opened read-only through its
/// directory, without following a link, without blocking (a FIFO put in its place opens at once
/// and is refused) and without touching its access time; then an exclusive lease is asked for
/// (F_SETLEASE, F_WRLCK). The kernel grants it only when no other open file of the inode exists
/// in any process of any namespace: no descriptor, no mapping (a mapping keeps its open file,
/// also after the descriptor is closed), none in flight over a socket. A granted lease is given
/// back at once. Neither the open nor the lease changes the file's times or size.
/// </summary>
internal static class KernelOpenCheck
{
    public enum Answer
    {
        /// <summary>The lease was granted: no other open file of it exists.</summary>
        NoOtherOpen,
        /// <summary>The lease was refused: it is open (or mapped) somewhere.</summary>
        OpenElsewhere,
        /// <summary>The kernel could not be asked (not the owner and no CAP_LEASE, leases disabled, cannot open it).</summary>
        NotAsked,
    }

    public const string Granted = "the kernel granted an exclusive lease: no process in any pid namespace has it open or mapped";
    public const string Refused = "open in a process this scan cannot see (the kernel refused an exclusive lease)";

    /// <summary>Asks about <paramref name="s"/>, opened through its directory's handle in <paramref name="dirs"/>.</summary>
    public static (Answer Answer, string Finding) Ask(ShmSegment s, ParentDirectories dirs)
    {
        DirectoryHandle dir;
        try
        {
            dir = dirs.Of(s.Path);
        }
        catch (IOException ex)
        {
            return (Answer.NotAsked, "no kernel lease check: " + ex.Message);
        }
        int fd = dir.OpenFile(s.EntryName(), write: false);
        if (fd < 0)
        {
            // An open that conflicts with someone else's lease fails at once (O_NONBLOCK): that lease is an open file.
            if (-fd == LibC.EAGAIN) return (Answer.OpenElsewhere, "open in a process this scan cannot see (it holds a lease on it)");
            return (Answer.NotAsked, $"no kernel lease check: cannot open {s.DisplayPath} read-only: {Errors.Describe(-fd)}");
        }
        try
        {
            if (Posix.StatFd(fd, out var st) != 0 || st.Type != UnixFileType.RegularFile || st.Inode != s.Inode || st.Device.ToString() != s.Device)
                return (Answer.NotAsked, $"no kernel lease check: {s.DisplayPath} is no longer the segment that was listed");
            switch (FileLocks.WriteLease(fd, out int errno))
            {
                case FileLocks.Attempt.Acquired:
                    FileLocks.ReleaseLease(fd);
                    return (Answer.NoOtherOpen, Granted);
                case FileLocks.Attempt.HeldByOther:
                    return (Answer.OpenElsewhere, Refused);
                default:
                    return (Answer.NotAsked, "no kernel lease check: " + (errno == LibC.EACCES
                        ? "a lease needs the file's owner or CAP_LEASE"
                        : $"a lease could not be taken ({Errors.Describe(errno)})"));
            }
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
