using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// The libc entry points ShmTools uses. Every P/Invoke of the engine lives in this folder.
/// Struct layouts used here (statx, linux_dirent64) are the same on every Linux architecture.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EMPTY_PATH = 0x1000;

    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_DIRECTORY = 0x10000;
    public const int O_PATH = 0x200000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_NONBLOCK = 0x800;
    public const int O_CREAT = 0x40;
    public const int O_NOATIME = 0x40000;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;

    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EACCES = 13;
    public const int EPERM = 1;
    public const int ENOTDIR = 20;
    public const int ELOOP = 40;
    public const int ERANGE = 34;
    public const int EIO = 5;
    public const int ENOTTY = 25;
    public const int ENOSYS = 38;

    public const uint STATX_BASIC_STATS = 0x7ff;
    public const uint STATX_BTIME = 0x800;

    public const int _SC_CLK_TCK = 2;

    [LibraryImport(Lib, EntryPoint = "sched_getcpu")]
    public static partial int SchedGetCpu();

    [LibraryImport(Lib, EntryPoint = "sched_getaffinity", SetLastError = true)]
    public static partial int SchedGetAffinity(int pid, nuint size, byte* mask);

    [LibraryImport(Lib, EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetAffinity(int pid, nuint size, byte* mask);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirfd, byte* path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Lib, EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirfd, byte* path, int flags, int mode);

    [LibraryImport(Lib, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "pread", SetLastError = true)]
    public static partial nint Pread(int fd, byte* buffer, nuint count, long offset);

    // ioctl is variadic in C; its third argument is passed as a pointer, as every caller of it does.
    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Lib, EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "readlink", SetLastError = true)]
    public static partial nint ReadLink(byte* path, byte* buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport(Lib, EntryPoint = "sysconf", SetLastError = true)]
    public static partial long Sysconf(int name);

    public const int EAGAIN = 11;
    public const int EPIPE = 32;
    public const int EINVAL = 22;
    public const int EEXIST = 17;
    public const int EBUSY = 16;
    public const int F_OFD_GETLK = 36;
    public const int F_OFD_SETLK = 37;
    public const int F_OFD_SETLKW = 38;
    public const short F_RDLCK = 0;
    public const short F_WRLCK = 1;
    public const short F_UNLCK = 2;
    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;
    public const uint RENAME_NOREPLACE = 1;
    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 1;
    public const int IPC_RMID = 0;
    public const int IPC_STAT = 2;
    public const int EIDRM = 43;
    public const uint SHM_DEST = 0x200; // 01000: marked for removal, freed at the last detach

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int FcntlLock(int fd, int cmd, ref FlockBuffer lockInfo);

    public const int F_SETOWN = 8;
    public const int F_SETSIG = 10;
    public const int F_GETFL = 3;
    public const int F_SETLEASE = 1024;
    public const int F_GETLEASE = 1025;
    public const int SIGURG = 23;

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int FcntlInt(int fd, int cmd, int arg);

    [LibraryImport(Lib, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    public const int RLIMIT_NOFILE = 7;

    /// <summary><c>getrlimit</c>: <paramref name="limits"/> is { soft, hard } (struct rlimit, two 64-bit words).</summary>
    [LibraryImport(Lib, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRLimit(int resource, ulong* limits);

    [LibraryImport(Lib, EntryPoint = "renameat2", SetLastError = true)]
    public static partial int RenameAt2(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, uint flags);

    [LibraryImport(Lib, EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(int dirfd, byte* path, int flags);

    public const int O_WRONLY = 1;
    public const int O_APPEND = 0x400;
    public const int ENOSPC = 28;
    public const int EINTR = 4;

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    public const int FALLOC_FL_KEEP_SIZE = 1;

    [LibraryImport(Lib, EntryPoint = "fallocate", SetLastError = true)]
    public static partial int Fallocate(int fd, int mode, long offset, long length);

    [LibraryImport(Lib, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    // No shmat: looking at a System V segment must not attach to it (that would change its
    // nattch, lpid, atime and dtime, the very facts it is judged by).
    [LibraryImport(Lib, EntryPoint = "shmctl", SetLastError = true)]
    public static partial int Shmctl(int shmid, int cmd, nint buffer);

    [LibraryImport(Lib, EntryPoint = "shmctl", SetLastError = true)]
    public static partial int Shmctl(int shmid, int cmd, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "futimens", SetLastError = true)]
    public static partial int Futimens(int fd, long* times); // struct timespec[2]: { tv_sec, tv_nsec } x 2 (64-bit)

    [LibraryImport(Lib, EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint Pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statfs(string path, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "fstatfs", SetLastError = true)]
    public static partial int Fstatfs(int fd, byte* buffer);

    /// <summary>realpath(3) with a NULL buffer: the result is malloc'd and must be freed.</summary>
    [LibraryImport(Lib, EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* RealPath(string path, byte* resolved);

    [LibraryImport(Lib, EntryPoint = "free")]
    public static partial void Free(void* pointer);

    [LibraryImport(Lib, EntryPoint = "getpwuid_r")]
    public static partial int GetPwUidR(uint uid, byte* pwd, byte* buffer, nuint bufferLength, out nint result);
}

/// <summary><c>struct flock</c> on 64-bit Linux (32 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct FlockBuffer
{
    [FieldOffset(0)] public short Type;
    [FieldOffset(2)] public short Whence;
    [FieldOffset(8)] public long Start;
    [FieldOffset(16)] public long Length;
    [FieldOffset(24)] public int Pid;
}

/// <summary>Linux <c>struct statx</c> (256 bytes, architecture independent).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint NLink;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(48)] public ulong Blocks;
    [FieldOffset(64)] public long AtimeSec;
    [FieldOffset(72)] public uint AtimeNsec;
    [FieldOffset(80)] public long BtimeSec;
    [FieldOffset(88)] public uint BtimeNsec;
    [FieldOffset(96)] public long CtimeSec;
    [FieldOffset(104)] public uint CtimeNsec;
    [FieldOffset(112)] public long MtimeSec;
    [FieldOffset(120)] public uint MtimeNsec;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;
}
