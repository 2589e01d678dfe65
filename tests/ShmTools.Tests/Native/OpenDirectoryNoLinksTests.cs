using ShmTools.Core.Native;

namespace ShmTools.Tests.Native;

/// <summary>
/// Directories of segments are opened with no symbolic link followed on the way, except a
/// leading /proc/PID/root; and this host's own /dev/shm is resolved as the kernel resolves it.
/// </summary>
public sealed class OpenDirectoryNoLinksTests : IDisposable
{
    private readonly string _base = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"nolinks-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private static (int Result, FileStatus Status) Open(string path)
    {
        int fd = Posix.OpenDirectoryNoLinks(path);
        if (fd < 0) return (fd, default);
        try
        {
            Assert.Equal(0, Posix.StatFd(fd, out var st));
            return (fd, st);
        }
        finally
        {
            Posix.Close(fd);
        }
    }

    [Fact]
    public void A_plain_directory_opens_and_is_that_directory()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_base, "a", "b")).FullName;
        var (fd, st) = Open(dir);
        Assert.True(fd >= 0, Errors.Describe(-fd));
        Assert.Equal(0, Posix.Stat(dir, followLinks: false, out var want));
        Assert.Equal((want.Device, want.Inode), (st.Device, st.Inode));
    }

    [Theory]
    [InlineData("link/b")]   // a link on the way
    [InlineData("a/linkb")]  // a link at the end
    public void A_link_anywhere_on_the_way_is_refused_with_eloop(string relative)
    {
        Directory.CreateDirectory(Path.Combine(_base, "a", "b"));
        File.CreateSymbolicLink(Path.Combine(_base, "link"), Path.Combine(_base, "a"));
        File.CreateSymbolicLink(Path.Combine(_base, "a", "linkb"), Path.Combine(_base, "a", "b"));
        Assert.Equal(-Posix.ELOOP, Open(Path.Combine(_base, relative)).Result);
    }

    [Fact]
    public void Dot_dot_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(_base, "a"));
        Assert.Equal(-Posix.EINVAL, Open(_base + "/a/../a").Result);
    }

    [Fact]
    public void A_process_root_link_is_entered_and_what_is_under_it_resolved_without_links()
    {
        Directory.CreateDirectory(Path.Combine(_base, "a"));
        File.CreateSymbolicLink(Path.Combine(_base, "link"), Path.Combine(_base, "a"));
        string viaRoot = $"/proc/{Environment.ProcessId}/root" + _base;
        Assert.True(Open(viaRoot + "/a").Result >= 0);
        Assert.Equal(-Posix.ELOOP, Open(viaRoot + "/link").Result);
        // /proc/self is a link itself, but not a process's root: refused like any other link.
        Assert.Equal(-Posix.ELOOP, Open("/proc/self/root" + _base + "/a").Result);
    }

    [Fact]
    public void The_own_directory_is_resolved_as_the_kernel_resolves_a_link_followed_by_dot_dot()
    {
        // x -> deep/sub, and x/../shm is deep/shm (the kernel reads the link before ".."), not shm.
        Directory.CreateDirectory(Path.Combine(_base, "deep", "sub"));
        Directory.CreateDirectory(Path.Combine(_base, "deep", "shm"));
        Directory.CreateDirectory(Path.Combine(_base, "shm"));
        File.CreateSymbolicLink(Path.Combine(_base, "x"), Path.Combine(_base, "deep", "sub"));
        File.CreateSymbolicLink(Path.Combine(_base, "devshm"), _base + "/x/../shm/");
        Assert.Equal(_base + "/deep/shm", ShmTools.Core.Shm.ShmRootDiscovery.OwnDirectory(Path.Combine(_base, "devshm")));
    }
}
