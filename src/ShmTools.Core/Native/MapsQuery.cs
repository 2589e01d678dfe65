using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>One file-backed mapping as PROCMAP_QUERY tells it: the fields of a maps line but the path.</summary>
public readonly record struct MappedFile(ulong Start, ulong End, ulong Offset, DeviceId Device, ulong Inode, bool Shared);

/// <summary>
/// PROCMAP_QUERY (Linux 6.11+): a process's file-backed mappings one ioctl each on its open
/// /proc/PID/maps, with device and inode but without the path unless asked. The kernel then
/// renders no text and resolves no path, which is most of what reading maps costs it. The
/// descriptor is opened as for reading maps (the same ptrace-read check is made at open).
/// </summary>
public static unsafe class MapsQuery
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Query
    {
        public ulong Size, QueryFlags, QueryAddr, VmaStart, VmaEnd, VmaFlags, VmaPageSize, VmaOffset, Inode;
        public uint DevMajor, DevMinor, VmaNameSize, BuildIdSize;
        public ulong VmaNameAddr, BuildIdAddr;
    }

    // _IOWR('f', 17, struct procmap_query): read and write, 104 bytes, type 'f', number 17.
    private const nuint Request = (3u << 30) | (104u << 16) | ('f' << 8) | 17;
    private const ulong Shared = 0x08;
    private const ulong CoveringOrNext = 0x10, FileBacked = 0x20;
    /// <summary>Whether <paramref name="errno"/> of a first query says the query is not to be had here (an older kernel, or a filter on ioctl).</summary>
    public static bool IsUnknown(int errno) => errno is LibC.ENOTTY or LibC.EINVAL or LibC.ENOSYS or LibC.EPERM;

    /// <summary>Whether this kernel answers the query: asked of this process's own maps (false where it has no procfs, is older than 6.11, or filters the ioctl).</summary>
    public static bool Answered()
    {
        int fd = Open("/proc/self/maps");
        if (fd < 0) return false;
        try
        {
            int err = Next(fd, 0, out _);
            return err == 0 || err == LibC.ENOENT;
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Opens a maps file for queries: the descriptor, or minus the errno.</summary>
    public static int Open(string mapsPath)
    {
        int fd = LibC.Open(mapsPath, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    public static void Close(int fd) => LibC.Close(fd);

    /// <summary>
    /// The first file-backed mapping that covers or follows <paramref name="address"/>: 0, or the
    /// errno (ENOENT: none is left; ESRCH: the process has no memory, or none any more; ENOTTY or
    /// EINVAL: this kernel has no such query).
    /// </summary>
    public static int Next(int fd, ulong address, out MappedFile mapping) => Ask(fd, address, CoveringOrNext | FileBacked, default, out mapping, out _);

    /// <summary>
    /// The path of the file-backed mapping that covers <paramref name="address"/>, as raw bytes in
    /// <paramref name="name"/> (the kernel's d_path: " (deleted)" at the end of an unlinked one);
    /// 0, or the errno (ENAMETOOLONG: it does not fit).
    /// </summary>
    public static int NameAt(int fd, ulong address, Span<byte> name, out MappedFile mapping, out int length) =>
        Ask(fd, address, FileBacked, name, out mapping, out length);

    private static int Ask(int fd, ulong address, ulong flags, Span<byte> name, out MappedFile mapping, out int length)
    {
        mapping = default;
        length = 0;
        fixed (byte* n = name)
        {
            var q = new Query
            {
                Size = (ulong)sizeof(Query),
                QueryFlags = flags,
                QueryAddr = address,
                VmaNameSize = (uint)name.Length,
                VmaNameAddr = (ulong)n,
            };
            int r;
            do r = LibC.Ioctl(fd, Request, &q);
            while (r < 0 && Marshal.GetLastPInvokeError() == 4); // EINTR
            if (r < 0) return Marshal.GetLastPInvokeError();
            mapping = new MappedFile(q.VmaStart, q.VmaEnd, q.VmaOffset, new DeviceId(q.DevMajor, q.DevMinor), q.Inode, (q.VmaFlags & Shared) != 0);
            // The size given back counts the terminating NUL; 0 when the mapping has no name.
            if (name.Length > 0 && q.VmaNameSize > 0) length = Math.Min((int)q.VmaNameSize - 1, name.Length);
            return 0;
        }
    }
}
