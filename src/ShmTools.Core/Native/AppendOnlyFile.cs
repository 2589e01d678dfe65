using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// A file opened for appending records safely: the final path component is never a link
/// (O_NOFOLLOW), the descriptor does not leak into children (O_CLOEXEC), opening never blocks
/// on a FIFO (O_NONBLOCK), and each record is appended whole or not at all.
/// </summary>
public sealed unsafe class AppendOnlyFile : IDisposable
{
    private int _fd;

    private AppendOnlyFile(int fd, FileStatus status)
    {
        _fd = fd;
        Status = status;
    }

    /// <summary>What the file was when it was opened (type, owner, links).</summary>
    public FileStatus Status { get; }

    /// <summary>Opens (creating with mode 0600 if absent) for appending. Returns null and the errno on failure.</summary>
    public static AppendOnlyFile? Open(string path, out int errno)
    {
        int flags = LibC.O_WRONLY | LibC.O_APPEND | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK;
        int fd = LibC.Open(path, flags, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = Posix.StatFd(fd, out var st);
        if (errno != 0)
        {
            LibC.Close(fd);
            return null;
        }
        return new AppendOnlyFile(fd, st);
    }

    /// <summary>
    /// Appends one record in a single write. Space is reserved first (where the filesystem can),
    /// so a full disk refuses the record before any byte of it is written; a short write is cut
    /// back off again, so no torn record stays behind. Returns 0 or the errno.
    /// </summary>
    public int Append(ReadOnlySpan<byte> record)
    {
        if (Posix.StatFd(_fd, out var before) != 0) return Marshal.GetLastPInvokeError();
        if (LibC.Fallocate(_fd, LibC.FALLOC_FL_KEEP_SIZE, before.SizeBytes, record.Length) != 0)
        {
            int e = Marshal.GetLastPInvokeError();
            if (e == LibC.ENOSPC) return e; // EOPNOTSUPP and the like: nothing to reserve with, write and check
        }
        fixed (byte* p = record)
        {
            nint n;
            do n = LibC.Write(_fd, p, (nuint)record.Length);
            while (n < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
            if (n == record.Length) return 0;
            int err = n < 0 ? Marshal.GetLastPInvokeError() : LibC.ENOSPC;
            // Cut a partial record back off, but only if nobody appended after it.
            if (n > 0 && Posix.StatFd(_fd, out var after) == 0 && after.SizeBytes == before.SizeBytes + n)
                LibC.Ftruncate(_fd, before.SizeBytes);
            return err;
        }
    }

    /// <summary>Makes everything appended so far durable. Returns 0 or the errno.</summary>
    public int Sync() => LibC.Fsync(_fd) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public void Dispose()
    {
        if (_fd >= 0) LibC.Close(_fd);
        _fd = -1;
    }
}
