using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Core.Liveness;

/// <summary>
/// A POSIX shared-memory segment used under the lease protocol (docs/lease-protocol.md), for C#
/// programs: the user holds an OFD read lock for as long as it uses the segment (the kernel
/// drops it when the process dies), and the segment starts with a handshake header whose probes
/// a background responder answers. The first <see cref="LeaseHeader.Size"/> bytes belong to the
/// protocol; <see cref="Data"/> is the rest.
/// </summary>
public sealed unsafe class LeasedSegment : IDisposable
{
    private readonly int _fd;
    private readonly MappedRegion _region;
    private readonly HandshakeResponder? _responder;

    private LeasedSegment(string path, int fd, MappedRegion region, bool respond)
    {
        Path = path;
        _fd = fd;
        _region = region;
        if (respond) _responder = new HandshakeResponder(region.Pointer);
    }

    public string Path { get; }
    public long Length => _region.Length;
    public Span<byte> Data => new(_region.Pointer + LeaseHeader.Size, (int)Math.Min(int.MaxValue, _region.Length - LeaseHeader.Size));
    public long ProbesAnswered => _responder?.Answered ?? 0;

    /// <summary>Creates <paramref name="name"/> (it must not exist), takes the lease and writes the header.</summary>
    public static LeasedSegment Create(string name, long dataBytes, string directory = "/dev/shm")
    {
        using var dir = DirectoryHandle.Open(directory);
        int fd = OpenAt(dir, name, create: true);
        try
        {
            long size = dataBytes + LeaseHeader.Size;
            Check(Posix.Ftruncate(fd, size), name, "ftruncate");
            Check(FileLocks.OfdLock(fd, exclusive: false, wait: true, out int e) == FileLocks.Attempt.Acquired ? 0 : e, name, "lock");
            var region = MappedRegion.MapFile(fd, size, out int errno) ?? throw Fail(name, "mmap", errno);
            var me = new ProcessTable().Get(Environment.ProcessId)!;
            LeaseHeader.Initialise(region.Pointer, me.Pid, me.StartTicks);
            return new LeasedSegment(directory + "/" + name, fd, region, respond: true);
        }
        catch
        {
            Posix.Close(fd);
            dir.Unlink(name);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing segment as a further user: waits for the read lock (a prober holds the
    /// write lock only for an instant), then checks the name was not removed under it.
    /// </summary>
    public static LeasedSegment Open(string name, string directory = "/dev/shm")
    {
        using var dir = DirectoryHandle.Open(directory);
        int fd = OpenAt(dir, name, create: false);
        try
        {
            Check(FileLocks.OfdLock(fd, exclusive: false, wait: true, out int e) == FileLocks.Attempt.Acquired ? 0 : e, name, "lock");
            Check(Posix.StatFd(fd, out var st), name, "fstat");
            if (st.LinkCount == 0) throw new IOException($"{directory}/{name} was removed while it was being opened; create it anew.");
            var region = MappedRegion.MapFile(fd, st.SizeBytes, out int errno) ?? throw Fail(name, "mmap", errno);
            return new LeasedSegment(directory + "/" + name, fd, region, respond: LeaseHeader.IsPresent(region.Pointer, region.Length));
        }
        catch
        {
            Posix.Close(fd);
            throw;
        }
    }

    /// <summary>Says in the header that the segment is no longer in use (a prober then finds it stale at once).</summary>
    public void Release() => LeaseHeader.Release(_region.Pointer);

    public void Dispose()
    {
        _responder?.Dispose();
        _region.Dispose();
        Posix.Close(_fd); // drops the lease
    }

    private static int OpenAt(DirectoryHandle dir, string name, bool create)
    {
        int fd = create ? dir.CreateFile(name) : dir.OpenFile(name);
        if (fd < 0) throw Fail(name, create ? "create" : "open", -fd);
        return fd;
    }

    private static void Check(int errno, string name, string what)
    {
        if (errno != 0) throw Fail(name, what, errno);
    }

    private static IOException Fail(string name, string what, int errno) =>
        new($"{name}: {what} failed: {Errors.Describe(errno)}", errno);
}
