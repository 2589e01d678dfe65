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

    public static void OfdUnlock(int fd)
    {
        var l = new FlockBuffer { Type = LibC.F_UNLCK };
        LibC.FcntlLock(fd, LibC.F_OFD_SETLK, ref l);
    }

    /// <summary>A non-blocking flock (the lock Python's fcntl.flock and many tools take).</summary>
    public static Attempt Flock(int fd, bool exclusive, out int errno) =>
        Result(LibC.Flock(fd, (exclusive ? LibC.LOCK_EX : LibC.LOCK_SH) | LibC.LOCK_NB), out errno);

    public static void FlockRelease(int fd) => LibC.Flock(fd, LibC.LOCK_UN);

    private static Attempt Result(int rc, out int errno)
    {
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (rc == 0) return Attempt.Acquired;
        return errno is LibC.EAGAIN or LibC.EACCES ? Attempt.HeldByOther : Attempt.Failed;
    }
}
