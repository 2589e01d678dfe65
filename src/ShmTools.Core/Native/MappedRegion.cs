using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// A file of this process's own mapped MAP_SHARED (the owner's side of the lease protocol).
/// Never used to look at someone else's segment: a mapping of a file another user controls
/// raises SIGBUS when that user truncates it. Disposing unmaps.
/// </summary>
public sealed unsafe class MappedRegion : IDisposable
{
    private nint _address;

    private MappedRegion(nint address, long length)
    {
        _address = address;
        Length = length;
    }

    public long Length { get; }
    public byte* Pointer => (byte*)_address;

    /// <summary>Maps the first <paramref name="length"/> bytes of an open file, read-write and shared.</summary>
    public static MappedRegion? MapFile(int fd, long length, out int errno)
    {
        nint p = LibC.Mmap(0, (nuint)length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (p == -1) { errno = Marshal.GetLastPInvokeError(); return null; }
        errno = 0;
        return new MappedRegion(p, length);
    }

    public void Dispose()
    {
        if (_address == 0) return;
        LibC.Munmap(_address, (nuint)Length);
        _address = 0;
    }
}
