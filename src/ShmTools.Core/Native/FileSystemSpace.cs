using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// A filesystem's capacity as statfs(2) reports it: the size limit (for a tmpfs, its size=
/// option), what is used, and what an unprivileged writer may still take.
/// </summary>
public readonly record struct FileSystemSpace(long SizeBytes, long UsedBytes, long AvailableBytes, long Inodes, long FreeInodes)
{
    /// <summary>statfs on <paramref name="path"/>; returns 0 or an errno.</summary>
    public static unsafe int Read(string path, out FileSystemSpace space)
    {
        // struct statfs on 64-bit Linux: f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files,
        // f_ffree, f_fsid, f_namelen, f_frsize, f_flags, f_spare[4]: 120 bytes, all 8-byte fields.
        long* buf = stackalloc long[32];
        if (LibC.Statfs(path, (byte*)buf) != 0)
        {
            space = default;
            return Marshal.GetLastPInvokeError();
        }
        long frsize = buf[9] > 0 ? buf[9] : buf[1];
        long blocks = buf[2], free = buf[3], avail = buf[4];
        space = new FileSystemSpace(blocks * frsize, (blocks - free) * frsize, avail * frsize, buf[5], buf[6]);
        return 0;
    }
}
