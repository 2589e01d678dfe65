using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// System V segment control by shmid: IPC_STAT and IPC_RMID, nothing else. Nothing here
/// attaches, so looking never changes a segment's nattch, lpid, atime or dtime.
/// </summary>
public static unsafe class SysVControl
{
    /// <summary>Marks a segment for removal (IPC_RMID). Returns 0 or the errno.</summary>
    public static int Remove(int shmid) => LibC.Shmctl(shmid, LibC.IPC_RMID, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// IPC_STAT of one segment. Returns 0, or the errno: EINVAL/EIDRM when no segment has that
    /// shmid, EACCES when it is not readable to this user, EOPNOTSUPP off 64-bit Linux (the
    /// layout below is the 64-bit <c>struct shmid64_ds</c>, the same on x86-64 and arm64).
    /// </summary>
    public static int Stat(int shmid, out SysVStatus status)
    {
        status = default;
        if (!Environment.Is64BitProcess || !OperatingSystem.IsLinux()) return 95; // EOPNOTSUPP
        byte* b = stackalloc byte[256]; // struct shmid64_ds is 112 bytes
        new Span<byte>(b, 256).Clear();
        if (LibC.Shmctl(shmid, LibC.IPC_STAT, b) != 0) return Marshal.GetLastPInvokeError();
        // struct ipc64_perm: key 0, uid 4, gid 8, cuid 12, cgid 16, mode 20 (16 or 32 bits), seq 24; 48 bytes.
        status = new SysVStatus(
            Key: *(int*)(b + 0),
            Uid: *(uint*)(b + 4),
            Gid: *(uint*)(b + 8),
            Mode: *(ushort*)(b + 20),
            SizeBytes: (long)*(ulong*)(b + 48),
            AttachTime: *(long*)(b + 56),
            DetachTime: *(long*)(b + 64),
            ChangeTime: *(long*)(b + 72),
            CreatorPid: *(int*)(b + 80),
            LastPid: *(int*)(b + 84),
            AttachCount: (long)*(ulong*)(b + 88));
        return 0;
    }

    /// <summary>True when the errno says the shmid names no segment (any more).</summary>
    public static bool IsGone(int errno) => errno is LibC.EINVAL or LibC.EIDRM;
}
