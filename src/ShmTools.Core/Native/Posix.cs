using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace ShmTools.Core.Native;

/// <summary>
/// Thin, exception-free wrappers over the libc calls: each returns 0 or the errno, so hot loops
/// over /proc (where processes vanish all the time) never pay for exceptions.
/// </summary>
public static unsafe class Posix
{
    public const int ENOENT = LibC.ENOENT;
    public const int ESRCH = LibC.ESRCH;
    public const int EACCES = LibC.EACCES;
    public const int EPERM = LibC.EPERM;
    public const int EINVAL = LibC.EINVAL;
    public const int ELOOP = LibC.ELOOP;
    public const int ENOTDIR = LibC.ENOTDIR;
    public const int EIO = LibC.EIO;

    /// <summary>True when the errno says the thing is gone (the process exited, the file was removed).</summary>
    public static bool IsGone(int errno) => errno == LibC.ENOENT || errno == LibC.ESRCH;

    public static int Stat(string path, bool followLinks, out FileStatus status)
    {
        int flags = followLinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW;
        if (LibC.Statx(LibC.AT_FDCWD, path, flags, LibC.STATX_BASIC_STATS | LibC.STATX_BTIME, out var buf) != 0)
        {
            status = default;
            return Marshal.GetLastPInvokeError();
        }
        status = FileStatus.From(buf);
        return 0;
    }

    /// <summary>statx of a name relative to an open directory; a final link is not followed unless asked.</summary>
    public static int StatAt(int dirFd, ReadOnlySpan<byte> nulTerminatedName, out FileStatus status, bool followLinks = false)
    {
        fixed (byte* p = nulTerminatedName)
        {
            if (LibC.Statx(dirFd, p, followLinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS | LibC.STATX_BTIME, out var buf) != 0)
            {
                status = default;
                return Marshal.GetLastPInvokeError();
            }
            status = FileStatus.From(buf);
            return 0;
        }
    }

    public const long TmpfsMagic = 0x01021994;

    /// <summary>The filesystem magic (f_type of statfs) of the filesystem holding <paramref name="path"/>.</summary>
    public static int FileSystemType(string path, out long magic)
    {
        int fd = LibC.Open(path, LibC.O_PATH | LibC.O_CLOEXEC, 0);
        if (fd < 0) { magic = 0; return Marshal.GetLastPInvokeError(); }
        try
        {
            return FileSystemTypeFd(fd, out magic);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>The filesystem magic of the filesystem an open descriptor is on.</summary>
    public static int FileSystemTypeFd(int fd, out long magic)
    {
        byte* buf = stackalloc byte[256]; // struct statfs is 120 bytes on 64-bit; f_type comes first
        if (LibC.Fstatfs(fd, buf) != 0) { magic = 0; return Marshal.GetLastPInvokeError(); }
        magic = *(long*)buf;
        return 0;
    }

    /// <summary>
    /// The path with every symbolic link, "." and ".." resolved as the kernel resolves them
    /// (realpath(3): each link is read before a following ".." applies); null when it cannot be
    /// resolved (a dangling link, a loop), with the errno in <paramref name="errno"/>.
    /// </summary>
    public static string? RealPath(string path, out int errno)
    {
        byte* resolved = LibC.RealPath(path, null);
        if (resolved == null) { errno = Marshal.GetLastPInvokeError(); return null; }
        try
        {
            errno = 0;
            return Marshal.PtrToStringUTF8((nint)resolved);
        }
        finally
        {
            LibC.Free(resolved);
        }
    }

    /// <summary>Reads up to buffer.Length bytes at an offset; returns the count, or -errno.</summary>
    public static int ReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* b = buffer)
        {
            nint n = LibC.Pread(fd, b, (nuint)buffer.Length, offset);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Writes the buffer at an offset; returns the count written, or -errno.</summary>
    public static int WriteAt(int fd, ReadOnlySpan<byte> buffer, long offset)
    {
        fixed (byte* b = buffer)
        {
            nint n = LibC.Pwrite(fd, b, (nuint)buffer.Length, offset);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>
    /// Writes all of the buffer to a descriptor (a pipe or terminal takes it in parts); returns 0
    /// or the errno (<see cref="LibC.EPIPE"/>: the reader has gone).
    /// </summary>
    public static int WriteAll(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = LibC.Write(fd, b + done, (nuint)(buffer.Length - done));
                if (n >= 0) { done += (int)n; continue; }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR) continue;
                if (errno == LibC.EAGAIN) { Thread.Sleep(1); continue; } // a descriptor another process made non-blocking
                return errno;
            }
            return 0;
        }
    }

    public static bool IsBrokenPipe(int errno) => errno == LibC.EPIPE;

    /// <summary>
    /// Sets an open file's access and modification times (futimens; the owner or CAP_FOWNER
    /// only). Its change time becomes now: that one no call can set. Returns 0 or the errno.
    /// </summary>
    public static int SetTimes(int fd, DateTimeOffset accessed, DateTimeOffset modified)
    {
        if (!Environment.Is64BitProcess) return 95; // EOPNOTSUPP: the timespec layout below is 64-bit
        long* t = stackalloc long[4];
        long a = accessed.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, m = modified.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        t[0] = Math.DivRem(a, TimeSpan.TicksPerSecond, out long ar); t[1] = ar * 100;
        t[2] = Math.DivRem(m, TimeSpan.TicksPerSecond, out long mr); t[3] = mr * 100;
        if (t[1] < 0 || t[3] < 0) return LibC.EINVAL;
        return LibC.Futimens(fd, t) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Whether this user may create files in <paramref name="directory"/> (access W_OK|X_OK, by the real ids).</summary>
    public static bool CanWrite(string directory) => OperatingSystem.IsWindows() || LibC.Access(directory, 2 | 1) == 0;

    public static int Ftruncate(int fd, long size) => LibC.Ftruncate(fd, size) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Opens a file for reading without blocking on it (a FIFO with no writer, a terminal) and
    /// without making it the controlling terminal; symbolic links are followed. Returns the fd,
    /// or -errno. The caller checks what it opened with <see cref="StatFd"/>.
    /// </summary>
    public static int OpenForReadingNonBlocking(string path)
    {
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK | LibC.O_NOCTTY, 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>statx of an open file descriptor.</summary>
    public static int StatFd(int fd, out FileStatus status)
    {
        byte empty = 0;
        if (LibC.Statx(fd, &empty, LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS | LibC.STATX_BTIME, out var buf) != 0)
        {
            status = default;
            return Marshal.GetLastPInvokeError();
        }
        status = FileStatus.From(buf);
        return 0;
    }

    /// <summary>
    /// Reads a whole (small, /proc-like) file into <paramref name="buffer"/>, growing it as needed.
    /// With <paramref name="oneRecord"/>, the file is one record the kernel makes whole for the
    /// first read (as /proc/PID/stat is): a first read that leaves room in the buffer has it all,
    /// and no read is made to find the end. Not for files made record by record (/proc/PID/maps
    /// returns a page or so per read).
    /// </summary>
    public static int ReadFile(string path, ref byte[] buffer, out int length, bool oneRecord = false)
    {
        length = 0;
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        if (fd < 0) return Marshal.GetLastPInvokeError();
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = new byte[buffer.Length * 2];
                    Buffer.BlockCopy(buffer, 0, bigger, 0, length);
                    buffer = bigger;
                }
                nint n;
                fixed (byte* p = &buffer[length])
                    n = LibC.Read(fd, p, (nuint)(buffer.Length - length));
                if (n < 0)
                {
                    int err = Marshal.GetLastPInvokeError();
                    if (err == 4) continue; // EINTR
                    return err;
                }
                if (n == 0) return 0;
                length += (int)n;
                if (oneRecord && length < buffer.Length) return 0;
            }
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>The target of a symbolic link as raw bytes (no decoding), or the errno.</summary>
    public static int ReadLink(ReadOnlySpan<byte> nulTerminatedPath, Span<byte> buffer, out int length)
    {
        fixed (byte* p = nulTerminatedPath)
        fixed (byte* b = buffer)
        {
            nint n = LibC.ReadLink(p, b, (nuint)buffer.Length);
            if (n < 0) { length = 0; return Marshal.GetLastPInvokeError(); }
            length = (int)n;
            return 0;
        }
    }

    public static string? ReadLink(string path)
    {
        Span<byte> buf = stackalloc byte[4096];
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        return ReadLink(bytes, buf, out int n) == 0 ? Encoding.UTF8.GetString(buf[..n]) : null;
    }

    /// <summary>How many descriptors this process may have open (the soft RLIMIT_NOFILE); null when unknown or unlimited.</summary>
    public static unsafe long? OpenFileLimit()
    {
        ulong* limits = stackalloc ulong[2];
        if (LibC.GetRLimit(LibC.RLIMIT_NOFILE, limits) != 0 || limits[0] > int.MaxValue) return null;
        return (long)limits[0];
    }

    /// <summary>How many descriptors this process has open now (entries of /proc/self/fd); null when unknown.</summary>
    public static int? OpenFileCount()
    {
        int fd = OpenDirectory("/proc/self/fd");
        if (fd < 0) return null;
        int n = -1; // the directory's own descriptor is listed too
        try
        {
            ReadDirectory(fd, (_, _, _) => n++);
        }
        finally
        {
            Close(fd);
        }
        return Math.Max(n, 0);
    }

    /// <summary>Opens a directory without following a final symbolic link. Returns the fd or -errno.</summary>
    public static int OpenDirectory(string path)
    {
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Opens a directory with no symbolic link followed anywhere on the way (-ELOOP when one is
    /// met), one component at a time from "/". A leading PROC/PID/root is the one exception: it
    /// is another mount namespace's root, entered through that link on purpose, and everything
    /// under it is then resolved inside it, never against this host's root (a container whose
    /// /dev is a link to /somewhere cannot lead this host to its own /somewhere). "." and ".."
    /// components are refused (-EINVAL). Returns the fd or -errno.
    /// </summary>
    public static int OpenDirectoryNoLinks(string path)
    {
        if (!path.StartsWith('/')) return OpenDirectory(path);
        int rootEnd = NamespaceRootEnd(path);
        int fd = rootEnd > 0
            ? LibC.Open(path[..rootEnd], LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0)
            : LibC.Open("/", LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) return -Marshal.GetLastPInvokeError();
        var parts = path[Math.Max(rootEnd, 0)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is "." or "..") { Close(fd); return -LibC.EINVAL; }
            bool last = i == parts.Length - 1;
            int flags = (last ? LibC.O_RDONLY : LibC.O_PATH) | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC;
            byte[] name = Encoding.UTF8.GetBytes(parts[i] + "\0");
            int next;
            fixed (byte* n = name) next = LibC.OpenAt(fd, n, flags, 0);
            int err = next < 0 ? Marshal.GetLastPInvokeError() : 0;
            Close(fd);
            // O_NOFOLLOW with O_PATH opens the link itself; O_DIRECTORY then refuses it as ENOTDIR.
            if (next < 0) return -(err == LibC.ENOTDIR && IsLinkAt(path, parts, i) ? LibC.ELOOP : err);
            fd = next;
        }
        if (parts.Length == 0)
        {
            Close(fd);
            return OpenDirectory(rootEnd > 0 ? path[..rootEnd] : "/");
        }
        return fd;
    }

    /// <summary>Whether component <paramref name="i"/> of the path is a symbolic link (for the error said).</summary>
    private static bool IsLinkAt(string path, string[] parts, int i)
    {
        int rootEnd = NamespaceRootEnd(path);
        string prefix = (rootEnd > 0 ? path[..rootEnd] : "") + "/" + string.Join('/', parts[..(i + 1)]);
        return Stat(prefix, followLinks: false, out var st) == 0 && st.Type == UnixFileType.SymbolicLink;
    }

    /// <summary>The length of a leading ".../PID/root" (a process's root link), or 0 when the path has none.</summary>
    private static int NamespaceRootEnd(string path)
    {
        const string marker = "/root";
        int at = 0;
        while ((at = path.IndexOf(marker, at, StringComparison.Ordinal)) > 0)
        {
            int end = at + marker.Length;
            int start = path.LastIndexOf('/', at - 1) + 1;
            bool whole = end == path.Length || path[end] == '/';
            if (whole && start < at && path.AsSpan(start, at - start).IndexOfAnyExceptInRange('0', '9') < 0) return end;
            at = end;
        }
        return 0;
    }

    /// <summary>Why a descriptor cannot be written to (not open, open only for reading), or null when it can.</summary>
    public static string? CannotWrite(int fd)
    {
        int flags = LibC.FcntlInt(fd, LibC.F_GETFL, 0);
        if (flags < 0) return $"it is not open ({Errors.Describe(Marshal.GetLastPInvokeError())})";
        return (flags & 3) is LibC.O_WRONLY or LibC.O_RDWR ? null : "it is closed or open only for reading";
    }

    public static void Close(int fd)
    {
        if (fd >= 0) LibC.Close(fd);
    }

    /// <summary>
    /// Calls <paramref name="onEntry"/> for every entry of an open directory (except . and ..)
    /// with the raw name bytes (NUL-terminated, so they can be passed back to *at calls) and d_type.
    /// Returns 0 or the errno.
    /// </summary>
    public static int ReadDirectory(int dirFd, DirectoryEntryHandler onEntry)
    {
        byte[] buffer = Threading.ScanBuffers<byte>.Pool.Rent(64 * 1024);
        try
        {
            fixed (byte* b = buffer)
            {
                while (true)
                {
                    nint n = LibC.GetDents64(dirFd, b, (nuint)buffer.Length);
                    if (n < 0) return Marshal.GetLastPInvokeError();
                    if (n == 0) return 0;
                    int pos = 0;
                    while (pos < n)
                    {
                        ulong ino = *(ulong*)(b + pos);
                        ushort reclen = *(ushort*)(b + pos + 16);
                        byte type = b[pos + 18];
                        var nameWithRest = new ReadOnlySpan<byte>(b + pos + 19, reclen - 19);
                        int nul = nameWithRest.IndexOf((byte)0);
                        var nameZ = nameWithRest[..(nul + 1)];
                        if (!(nul == 1 && nameZ[0] == '.') && !(nul == 2 && nameZ[0] == '.' && nameZ[1] == '.'))
                            onEntry(nameZ, (UnixFileType)((uint)type << 12), ino);
                        pos += reclen;
                    }
                }
            }
        }
        finally
        {
            Threading.ScanBuffers<byte>.Pool.Return(buffer);
        }
    }

    /// <summary>Whether a process exists: kill(pid, 0) succeeds, or fails with EPERM (alive, not ours).</summary>
    public static bool ProcessExists(int pid)
    {
        if (pid <= 0) return false;
        if (LibC.Kill(pid, 0) == 0) return true;
        return Marshal.GetLastPInvokeError() == LibC.EPERM;
    }

    public static uint EffectiveUserId => LibC.GetEuid();

    public static long ClockTicksPerSecond
    {
        get
        {
            long t = LibC.Sysconf(LibC._SC_CLK_TCK);
            return t > 0 ? t : 100;
        }
    }

    /// <summary>The account name of a uid (passwd, NSS included), or null when it has none.</summary>
    public static string? UserName(uint uid)
    {
        byte* pwd = stackalloc byte[128]; // struct passwd is 48 bytes on 64-bit
        int size = 1024;
        while (size <= 1 << 20)
        {
            byte[] buf = new byte[size];
            fixed (byte* b = buf)
            {
                int rc = LibC.GetPwUidR(uid, pwd, b, (nuint)size, out nint result);
                if (rc == LibC.ERANGE) { size *= 4; continue; }
                if (rc != 0 || result == 0) return null;
                byte* name = *(byte**)pwd; // pw_name is the first member
                return Marshal.PtrToStringUTF8((nint)name);
            }
        }
        return null;
    }
}

/// <summary>One directory entry: its name as raw bytes (NUL-terminated), its type (d_type, Unknown when the filesystem does not say) and inode.</summary>
public delegate void DirectoryEntryHandler(ReadOnlySpan<byte> nulTerminatedName, UnixFileType type, ulong inode);
