using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// Shared memory mapped into this process: a POSIX file mapped MAP_SHARED, or a System V
/// segment attached with shmat. Disposing unmaps or detaches.
/// </summary>
public sealed unsafe class MappedRegion : IDisposable
{
    private readonly bool _sysv;
    private nint _address;

    private MappedRegion(nint address, long length, bool sysv)
    {
        _address = address;
        Length = length;
        _sysv = sysv;
    }

    public long Length { get; }
    public byte* Pointer => (byte*)_address;

    /// <summary>Maps the first <paramref name="length"/> bytes of an open file, read-write and shared.</summary>
    public static MappedRegion? MapFile(int fd, long length, out int errno)
    {
        nint p = LibC.Mmap(0, (nuint)length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (p == -1) { errno = Marshal.GetLastPInvokeError(); return null; }
        errno = 0;
        return new MappedRegion(p, length, sysv: false);
    }

    /// <summary>Attaches a System V segment (raising its nattch while attached).</summary>
    public static MappedRegion? AttachSysV(int shmid, long length, out int errno)
    {
        nint p = LibC.Shmat(shmid, 0, 0);
        if (p == -1) { errno = Marshal.GetLastPInvokeError(); return null; }
        errno = 0;
        return new MappedRegion(p, length, sysv: true);
    }

    public void Dispose()
    {
        if (_address == 0) return;
        if (_sysv) LibC.Shmdt(_address);
        else LibC.Munmap(_address, (nuint)Length);
        _address = 0;
    }
}

/// <summary>System V segment control.</summary>
public static class SysVControl
{
    /// <summary>Marks a segment for removal (IPC_RMID). Returns 0 or the errno.</summary>
    public static int Remove(int shmid) => LibC.Shmctl(shmid, LibC.IPC_RMID, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
