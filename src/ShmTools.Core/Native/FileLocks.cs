using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>Advisory locks on an open file: OFD record locks (Linux 3.15+) and flock.</summary>
public static class FileLocks
{
    /// <summary>Outcome of a non-blocking lock attempt.</summary>
    public enum Attempt { Acquired, HeldByOther, Failed }

    /// <summary>Takes (or, with <paramref name="wait"/>, waits for) an OFD lock over the whole file.</summary>
    public static Attempt OfdLock(int fd, bool exclusive, bool wait, out int errno)
    {
        var l = new FlockBuffer { Type = exclusive ? LibC.F_WRLCK : LibC.F_RDLCK, Whence = 0, Start = 0, Length = 0 };
        return Result(LibC.FcntlLock(fd, wait ? LibC.F_OFD_SETLKW : LibC.F_OFD_SETLK, ref l), out errno);
    }

    /// <summary>
    /// Asks whether an OFD lock over the whole file could be taken now (F_OFD_GETLK), without
    /// taking it: <see cref="Attempt.Acquired"/> means "free", <see cref="Attempt.HeldByOther"/>
    /// that a conflicting OFD or POSIX record lock is held. Looking this way never makes anyone
    /// else's lock attempt fail.
    /// </summary>
    public static Attempt OfdTest(int fd, bool exclusive, out int errno)
    {
        var l = new FlockBuffer { Type = exclusive ? LibC.F_WRLCK : LibC.F_RDLCK, Whence = 0, Start = 0, Length = 0 };
        if (LibC.FcntlLock(fd, LibC.F_OFD_GETLK, ref l) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return Attempt.Failed;
        }
        errno = 0;
        return l.Type == LibC.F_UNLCK ? Attempt.Acquired : Attempt.HeldByOther;
    }

    public static void OfdUnlock(int fd)
    {
        var l = new FlockBuffer { Type = LibC.F_UNLCK };
        LibC.FcntlLock(fd, LibC.F_OFD_SETLK, ref l);
    }

    /// <summary>A non-blocking flock (the lock Python's fcntl.flock and many tools take).</summary>
    public static Attempt Flock(int fd, bool exclusive, out int errno) =>
        Result(LibC.Flock(fd, (exclusive ? LibC.LOCK_EX : LibC.LOCK_SH) | LibC.LOCK_NB), out errno);

    public static void FlockRelease(int fd) => LibC.Flock(fd, LibC.LOCK_UN);

    /// <summary>
    /// Takes a write lease (F_SETLEASE, F_WRLCK). The kernel grants it only when no other open file
    /// description of the file exists anywhere: no other descriptor in any process, no mapping
    /// (a mapping keeps its file open), none in flight over a socket. The lease owner is notified
    /// of a conflicting open with SIGURG, whose default action is to be ignored, and not SIGIO,
    /// whose default action would end the process. Needs the file's owner or CAP_LEASE.
    /// <para>
    /// <see cref="Attempt.HeldByOther"/> only for a conflict (EAGAIN, EBUSY). Unlike a lock, a
    /// lease answers EACCES when it may not be taken at all (not the file's owner and no
    /// CAP_LEASE): that, and every other refusal (leases disabled, a filesystem without them),
    /// is <see cref="Attempt.Failed"/>, which says nothing about other opens.
    /// </para>
    /// </summary>
    public static Attempt WriteLease(int fd, out int errno)
    {
        LibC.FcntlInt(fd, LibC.F_SETSIG, LibC.SIGURG);
        int rc = LibC.FcntlInt(fd, LibC.F_SETLEASE, LibC.F_WRLCK);
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (rc != 0) return errno is LibC.EAGAIN or LibC.EBUSY ? Attempt.HeldByOther : Attempt.Failed;
        LibC.FcntlInt(fd, LibC.F_SETOWN, 0); // and no signal at all
        return Attempt.Acquired;
    }

    /// <summary>True while a write lease taken on this descriptor is held and nobody has begun to break it (an open elsewhere).</summary>
    public static bool WriteLeaseIntact(int fd) => LibC.FcntlInt(fd, LibC.F_GETLEASE, 0) == LibC.F_WRLCK;

    public static void ReleaseLease(int fd) => LibC.FcntlInt(fd, LibC.F_SETLEASE, LibC.F_UNLCK);

    private static Attempt Result(int rc, out int errno)
    {
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (rc == 0) return Attempt.Acquired;
        return errno is LibC.EAGAIN or LibC.EACCES ? Attempt.HeldByOther : Attempt.Failed;
    }
}
