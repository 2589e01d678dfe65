using System.Runtime.InteropServices;
using System.Text;

namespace ShmTools.Core.Native;

/// <summary>
/// An open directory, and the *at calls relative to it: nothing here resolves a path from the
/// root again, and no symbolic link is ever followed, at the end or on the way (see
/// <see cref="Posix.OpenDirectoryNoLinks"/>).
/// </summary>
public sealed unsafe class DirectoryHandle : IDisposable
{
    private int _fd;

    private DirectoryHandle(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    public static DirectoryHandle Open(string path)
    {
        int fd = Posix.OpenDirectoryNoLinks(path);
        if (fd < 0) throw new IOException($"{path}: {Errors.Describe(-fd)}", -fd);
        return new DirectoryHandle(fd, path);
    }

    /// <summary>A non-blocking flock on the directory itself (shared or exclusive); released by <see cref="Dispose"/>.</summary>
    public FileLocks.Attempt Flock(bool exclusive) => FileLocks.Flock(_fd, exclusive, out _);

    /// <summary>statx of the directory itself.</summary>
    public int Status(out FileStatus status) => Posix.StatFd(_fd, out status);

    /// <summary>The magic of the filesystem the directory itself is on (not of whatever its path names now).</summary>
    public int FileSystemType(out long magic) => Posix.FileSystemTypeFd(_fd, out magic);

    /// <summary>Opens the directory a file path lives in, and gives the file's name within it.</summary>
    public static DirectoryHandle OpenParent(string filePath, out string name)
    {
        int slash = filePath.LastIndexOf('/');
        name = filePath[(slash + 1)..];
        return Open(slash > 0 ? filePath[..slash] : "/");
    }

    /// <summary>A name as the NUL-terminated UTF-8 bytes the *at calls take.</summary>
    public static byte[] Z(string name) => Encoding.UTF8.GetBytes(name + "\0");

    public int Stat(string name, out FileStatus status) => Posix.StatAt(_fd, Z(name), out status);

    /// <summary>statx of an entry given by its exact (NUL-terminated) bytes, not following a link.</summary>
    public int Stat(ReadOnlySpan<byte> nameZ, out FileStatus status) => Posix.StatAt(_fd, nameZ, out status);

    /// <summary>
    /// Opens a file for reading and writing: no link followed, no blocking on a FIFO, and (where
    /// permitted) without touching its access time, so looking at a segment does not make it
    /// look used. Returns fd or -errno.
    /// </summary>
    public int OpenFile(string name, bool write = true) => OpenFile(Z(name), write);

    /// <summary>As <see cref="OpenFile(string, bool)"/>, for an entry given by its exact (NUL-terminated) bytes.</summary>
    public int OpenFile(ReadOnlySpan<byte> nameZ, bool write = true) => OpenFile(nameZ, write, out _);

    /// <summary>
    /// As <see cref="OpenFile(ReadOnlySpan{byte}, bool)"/>; <paramref name="keepsAccessTime"/> is
    /// false when the kernel refused O_NOATIME (not the owner, no CAP_FOWNER), so that reading
    /// through this descriptor would mark the file as just used.
    /// </summary>
    public int OpenFile(ReadOnlySpan<byte> nameZ, bool write, out bool keepsAccessTime)
    {
        fixed (byte* p = nameZ)
        {
            int flags = (write ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC;
            int fd = LibC.OpenAt(_fd, p, flags | LibC.O_NOATIME, 0);
            keepsAccessTime = fd >= 0;
            if (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EPERM) fd = LibC.OpenAt(_fd, p, flags, 0); // not the owner
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Creates a new file (O_EXCL, mode 0600). Returns fd or -errno.</summary>
    public int CreateFile(string name)
    {
        fixed (byte* p = Z(name))
        {
            int fd = LibC.OpenAt(_fd, p, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, Convert.ToInt32("600", 8));
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Renames within this directory, failing instead of replacing an existing name.</summary>
    public int RenameNoReplace(string from, string to) => RenameNoReplace(Z(from), Z(to));

    /// <summary>As <see cref="RenameNoReplace(string, string)"/>, for names given by their exact (NUL-terminated) bytes.</summary>
    public int RenameNoReplace(ReadOnlySpan<byte> fromZ, ReadOnlySpan<byte> toZ)
    {
        fixed (byte* a = fromZ)
        fixed (byte* b = toZ)
            return LibC.RenameAt2(_fd, a, _fd, b, LibC.RENAME_NOREPLACE) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public int Unlink(string name) => Unlink(Z(name));

    public int Unlink(ReadOnlySpan<byte> nameZ)
    {
        fixed (byte* p = nameZ)
            return LibC.UnlinkAt(_fd, p, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public void Dispose()
    {
        if (_fd >= 0) LibC.Close(_fd);
        _fd = -1;
    }
}
