using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Shm;

/// <summary>The inventory against segments that real processes create and hold.</summary>
public sealed class InventoryRealProcessTests
{
    private static ShmSegment Single(string name, bool allNamespaces = false)
    {
        var result = new ShmInventory().Scan(new ShmQuery { Names = [name], AllNamespaces = allNamespaces });
        return Assert.Single(result.Segments);
    }

    [Fact]
    public void Python_shared_memory_is_listed_with_its_mapping_holder_and_producer()
    {
        using var held = HeldSegment.Start("psm", "1048576");
        var s = Single(held.Name!);
        Assert.Equal(SegmentKind.Posix, s.Kind);
        Assert.Equal("/dev/shm/" + held.Name, s.Path);
        Assert.True(s.SizeBytes >= 1048576);
        Assert.True(s.ResidentBytes > 0 && s.ResidentBytes < s.SizeBytes, "tmpfs files are sparse: only touched pages count");
        Assert.Equal("python-multiprocessing", s.Producer);
        Assert.Equal("root", s.Owner);
        // Python's mmap keeps a duplicate of the fd: one process, held both ways.
        Assert.Equal(1, s.HolderCount);
        var a = Assert.Single(s.Attachments, x => x.Pid == held.Pid && x.Via == AttachmentKind.Map);
        Assert.Contains(s.Attachments, x => x.Pid == held.Pid && x.Via == AttachmentKind.Fd);
        Assert.StartsWith("python", a.ProcessName);
        Assert.True(a.MappedBytes >= 1048576);
        Assert.True(a.ProcessStartTicks > 0);
    }

    /// <summary>Its main thread gone, a process shows no maps and no descriptors under its pid; its other threads do.</summary>
    [Theory]
    [InlineData("map")]
    [InlineData("mapfd")]
    public void A_process_whose_main_thread_exited_is_a_holder_by_its_other_threads(string how)
    {
        string name = Unique.Name("leader-exited");
        string path = "/dev/shm/" + name;
        File.WriteAllBytes(path, new byte[8192]);
        try
        {
            using var held = HeldSegment.StartWith(NativeBuild.Program("leader_exits.c"), ["open", path, how]);
            Assert.True(SpinWait.SpinUntil(() => File.ReadAllText($"/proc/{held.Pid}/maps").Length == 0, 5000), "the main thread exited");
            var s = Single(name);
            Assert.Contains(s.Attachments, a => a.Pid == held.Pid && a.Via == AttachmentKind.Map);
            Assert.Equal(how == "mapfd", s.Attachments.Any(a => a.Pid == held.Pid && a.Via == AttachmentKind.Fd));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("unlink")]
    public void A_descriptor_in_a_threads_own_table_is_a_holder_when_thread_tables_are_read(string how)
    {
        string name = Unique.Name("thread-table");
        string path = "/dev/shm/" + name;
        File.WriteAllBytes(path, new byte[8192]);
        try
        {
            using var held = HeldSegment.StartWith("python3", ["-c", HeldSegment.ThreadTableHolder, path, how]);
            Assert.DoesNotContain(Directory.GetFiles($"/proc/{held.Pid}/fd"), f => new FileInfo(f).LinkTarget?.StartsWith(path) == true);
            ulong inode = (ulong)held.InfoLong("inode");
            var table = new ProcessTable();
            var devices = ShmRootDiscovery.Discover(InventorySources.System, table, false, new List<string>()).Select(r => r.Device).ToHashSet();
            var plain = new ProcessScanner(table, devices).Scan([held.Pid]);
            Assert.DoesNotContain(plain.Files, f => f.Key.Inode == inode);
            var deep = new ProcessScanner(table, devices) { ReadThreadTables = true }.Scan([held.Pid]);
            var h = Assert.Single(deep.Files.Single(f => f.Key.Inode == inode).Value);
            Assert.Equal((held.Pid, AttachmentKind.Fd, held.InfoInt("tid")), (h.Pid, h.Via, h.Tid));
            Assert.NotNull(h.StatPath("/proc"));
            Assert.True(File.Exists(h.StatPath("/proc")), "the thread's descriptor is reachable through its own table");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SysV_segment_attached_by_a_live_process_shows_nattch_and_the_attacher()
    {
        int key = Unique.SysVKey();
        using var held = HeldSegment.Start("sysv", key.ToString(), "65536");
        var s = Single("0x" + key.ToString("x8"));
        Assert.Equal(SegmentKind.SysV, s.Kind);
        Assert.Equal(held.InfoInt("shmid"), s.SysVId);
        Assert.Equal(key, s.SysVKey);
        Assert.Equal(65536, s.SizeBytes);
        Assert.Equal(1, s.AttachCount);
        Assert.Equal(held.Pid, s.CreatorPid);
        Assert.Equal(held.Pid, s.OwnerPidHint);
        Assert.StartsWith("python", s.Creator);
        Assert.Equal("0600", s.Mode);
        var a = Assert.Single(s.Attachments);
        Assert.Equal((held.Pid, AttachmentKind.SysV), (a.Pid, a.Via));
    }

    [Fact]
    public void Named_semaphore_is_kind_semaphore_and_held_by_its_mapper()
    {
        string name = Unique.Name("shmtools-sem");
        using var held = HeldSegment.Start("sem", name);
        var s = Single("sem." + name);
        Assert.Equal(SegmentKind.Semaphore, s.Kind);
        Assert.Contains(s.Attachments, a => a.Pid == held.Pid && a.Via == AttachmentKind.Map);
    }

    [Fact]
    public void Unlinked_but_mapped_file_is_found_as_deleted_with_size_and_creator()
    {
        using var probe = HeldSegment.Start("file", "/dev/shm", Unique.Name("probe"), "4096", "fd");
        // A PyTorch-style name carrying the holder's own pid: torch_<pid>_<rand>_<counter>.
        using var held = HeldSegment.StartWith("sh", ["-c", $"exec python3 {HeldSegment.HelperPath} file /dev/shm torch_$$_{Random.Shared.Next(1, 1 << 30)}_0 2097152 deleted"]);
        string name = System.IO.Path.GetFileName(held.Path!);
        Assert.False(File.Exists(held.Path));
        var s = Single(name);
        Assert.Equal(SegmentKind.Deleted, s.Kind);
        Assert.Equal(2097152, s.SizeBytes);
        Assert.Equal("pytorch", s.Producer);
        Assert.Equal(held.Pid, s.OwnerPidHint);
        Assert.StartsWith("python", s.Creator);
        Assert.Equal("0600", s.Mode);
        Assert.All(s.Attachments, a => Assert.Equal(held.Pid, a.Pid));
        Assert.Contains(s.Attachments, a => a.Via == AttachmentKind.Map && a.MappedBytes == 2097152);
    }

    /// <summary>Maps argv[1] from offset 0, then argv[2], then argv[1] from offset 0 again (two mappings that cannot merge), keeping argv[1]'s fd open.</summary>
    private const string TwiceMapper =
        "import json,mmap,os,sys\n" +
        "fa=os.open(sys.argv[1],os.O_RDWR); fb=os.open(sys.argv[2],os.O_RDWR)\n" +
        "a1=mmap.mmap(fa,8192); b=mmap.mmap(fb,4096); a2=mmap.mmap(fa,4096)\n" +
        "os.close(fb)\n" +
        "print(json.dumps({'pid':os.getpid()}),flush=True)\n" +
        "sys.stdin.read()\n";

    [Fact]
    public void A_file_mapped_twice_by_one_process_is_one_mapping_holding_with_both_sizes()
    {
        string a = "/dev/shm/" + Unique.Name("twice-a"), b = "/dev/shm/" + Unique.Name("twice-b");
        File.WriteAllBytes(a, new byte[8192]);
        File.WriteAllBytes(b, new byte[4096]);
        try
        {
            // Two such processes: each one's holdings stay its own, whichever worker reads it.
            using var first = HeldSegment.StartWith("python3", ["-c", TwiceMapper, a, b]);
            using var second = HeldSegment.StartWith("python3", ["-c", TwiceMapper, a, b]);
            var s = Single(System.IO.Path.GetFileName(a));
            foreach (var pid in new[] { first.Pid, second.Pid })
            {
                var map = Assert.Single(s.Attachments, x => x.Pid == pid && x.Via == AttachmentKind.Map);
                Assert.Equal(8192 + 4096, map.MappedBytes);
                Assert.Single(s.Attachments, x => x.Pid == pid && x.Via == AttachmentKind.Fd);
            }
            Assert.Equal(4, s.Attachments.Count);
            // The file mapped between (its descriptor closed, but Python's mmap keeps a duplicate).
            var other = Single(System.IO.Path.GetFileName(b));
            var between = other.Attachments.Where(x => x.Via == AttachmentKind.Map).ToList();
            Assert.Equal([first.Pid, second.Pid], between.Select(x => x.Pid).Order());
            Assert.All(between, x => Assert.Equal(4096L, x.MappedBytes));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    /// <summary>Maps each file argument whole with mmap(2), shared, and closes its descriptor: a mapping and nothing else.</summary>
    private const string PlainMapper =
        "import ctypes,json,os,sys\n" +
        "libc=ctypes.CDLL(None,use_errno=True); libc.mmap.restype=ctypes.c_void_p\n" +
        "libc.mmap.argtypes=[ctypes.c_void_p,ctypes.c_size_t,ctypes.c_int,ctypes.c_int,ctypes.c_int,ctypes.c_long]\n" +
        "for p in sys.argv[1:]:\n" +
        "    fd=os.open(p,os.O_RDWR); assert libc.mmap(None,os.fstat(fd).st_size,3,1,fd,0) not in (None,ctypes.c_void_p(-1).value); os.close(fd)\n" +
        "print(json.dumps({'pid':os.getpid()}),flush=True)\n" +
        "sys.stdin.read()\n";

    [Fact]
    public void Segments_held_alike_and_held_differently_each_show_their_own_holders()
    {
        string[] paths = new[] { "a", "b", "c" }.Select(x => "/dev/shm/" + Unique.Name("alike-" + x)).ToArray();
        File.WriteAllBytes(paths[0], new byte[4096]);
        File.WriteAllBytes(paths[1], new byte[4096]);
        File.WriteAllBytes(paths[2], new byte[8192]);
        try
        {
            using var first = HeldSegment.StartWith("python3", ["-c", PlainMapper, .. paths]);
            using var second = HeldSegment.StartWith("python3", ["-c", PlainMapper, paths[1]]);
            var found = new ShmInventory().Scan(new ShmQuery { Names = paths.Select(System.IO.Path.GetFileName).ToArray()! })
                .Segments.ToDictionary(x => x.Path);
            (int, AttachmentKind, long)[] Of(string path) => found[path].Attachments.Select(x => (x.Pid, x.Via, x.MappedBytes)).ToArray();
            Assert.Equal([(first.Pid, AttachmentKind.Map, 4096L)], Of(paths[0]));
            Assert.Equal([(first.Pid, AttachmentKind.Map, 8192L)], Of(paths[2]));
            var both = new[] { first.Pid, second.Pid }.Order().Select(pid => (pid, AttachmentKind.Map, 4096L)).ToArray();
            Assert.Equal(both, Of(paths[1]));
            Assert.All(found.Values.SelectMany(x => x.Attachments), x => Assert.StartsWith("python", x.ProcessName));
            // Lists may be shared by segments held alike, so none can be changed through one segment.
            Assert.All(found.Values, x => Assert.Throws<NotSupportedException>(() => ((IList<Attachment>)x.Attachments)[0] = x.Attachments[0]));
        }
        finally
        {
            foreach (var p in paths) File.Delete(p);
        }
    }

    [Fact]
    public void The_pass_reads_the_processes_that_hold_something_and_no_others()
    {
        using var holder = HeldSegment.Start("file", "/dev/shm", Unique.Name("named"), "4096", "maponly");
        using var idle = HeldSegment.Start("idle");
        var table = new ProcessTable();
        var devices = ShmRootDiscovery.Discover(InventorySources.System, table, false, new List<string>()).Select(r => r.Device).ToHashSet();
        var found = new ProcessScanner(table, devices).Scan([holder.Pid, idle.Pid]);
        Assert.Contains(found.Files, f => f.Value.Any(h => h.Pid == holder.Pid));
        Assert.True(table.HasRead(holder.Pid), "the holder is read by the pass");
        Assert.False(table.HasRead(idle.Pid), "a process that holds nothing is not");
        var quiet = new ProcessTable();
        new ProcessScanner(quiet, devices) { NameHolders = false }.Scan([holder.Pid, idle.Pid]);
        Assert.False(quiet.HasRead(holder.Pid));
    }

    [Fact]
    public void A_file_with_two_names_is_listed_under_both_and_an_unlinked_one_is_still_found()
    {
        // Two listed names for one held file must count as one held file listed: counted twice,
        // the scan would take every held file for listed and miss the unlinked one.
        string a = "/dev/shm/" + Unique.Name("link-a"), b = "/dev/shm/" + Unique.Name("link-b");
        File.WriteAllBytes(a, new byte[4096]);
        using (var ln = System.Diagnostics.Process.Start("ln", [a, b])) ln.WaitForExit();
        Assert.True(File.Exists(b));
        try
        {
            using var mapper = HeldSegment.StartWith("python3", ["-c", PlainMapper, a]);
            using var gone = HeldSegment.Start("file", "/dev/shm", Unique.Name("link-gone"), "4096", "deleted");
            string goneName = System.IO.Path.GetFileName(gone.Path!);
            foreach (var segments in new Func<IReadOnlyList<ShmSegment>>[]
            {
                () => new ShmInventory().Scan(new ShmQuery()).Segments,
                () => new ShmInventory().Begin(new ShmQuery()).Segments().ToList(),
            }.Select(f => f()))
            {
                Assert.All(segments.Where(x => x.Path == a || x.Path == b), x => Assert.Equal(mapper.Pid, Assert.Single(x.Attachments).Pid));
                Assert.Equal(2, segments.Count(x => x.Path == a || x.Path == b));
                var deleted = Assert.Single(segments, x => x.Name == goneName);
                Assert.Equal(SegmentKind.Deleted, deleted.Kind);
            }
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    [Fact]
    public void A_file_unlinked_under_two_names_keeps_the_same_name_from_scan_to_scan()
    {
        // Held through both names by two processes, then both names removed: the name comes from
        // the holder with the lowest pid, whichever worker of the pass read which process.
        string k1 = "/dev/shm/" + Unique.Name("two-1"), k2 = "/dev/shm/" + Unique.Name("two-2");
        File.WriteAllBytes(k1, new byte[4096]);
        using (var ln = System.Diagnostics.Process.Start("ln", [k1, k2])) ln.WaitForExit();
        using var first = HeldSegment.StartWith("python3", ["-c", PlainMapper, k1]);
        using var second = HeldSegment.StartWith("python3", ["-c", PlainMapper, k2]);
        File.Delete(k1);
        File.Delete(k2);
        string expected = System.IO.Path.GetFileName(first.Pid < second.Pid ? k1 : k2);
        var inventory = new ShmInventory();
        for (int i = 0; i < 12; i++)
        {
            var s = Assert.Single(inventory.Scan(new ShmQuery()).Segments, x => x.Name.StartsWith("two-", StringComparison.Ordinal) || x.Name.Contains("-two-"));
            Assert.Equal(expected, s.Name);
            Assert.Equal(2, s.HolderCount);
        }
    }

    [Fact]
    public void A_process_holding_only_a_file_descriptor_is_an_fd_holder()
    {
        using var held = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "8192", "fd");
        var s = Single(held.Name!);
        var a = Assert.Single(s.Attachments);
        Assert.Equal((held.Pid, AttachmentKind.Fd), (a.Pid, a.Via));
        Assert.Equal(0, a.MappedBytes);
    }

    [Fact]
    public void Names_with_spaces_and_newlines_match_their_holders_by_device_and_inode()
    {
        string name = "my seg " + Guid.NewGuid().ToString("N")[..8] + " (deleted) x";
        using var held = HeldSegment.Start("file", "/dev/shm", name, "4096", "map");
        var s = Single(name);
        Assert.Equal(SegmentKind.Posix, s.Kind);
        Assert.Equal(1, s.HolderCount);
        Assert.Contains(s.Attachments, a => a.Pid == held.Pid && a.Via == AttachmentKind.Map);
        Assert.Equal((ulong)held.Info.GetProperty("inode").GetInt64(), s.Inode);
    }

    [Fact]
    public void Segment_without_holders_has_no_attachments()
    {
        using var made = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "keep");
        try
        {
            var s = Single(made.Name!);
            Assert.Empty(s.Attachments);
            Assert.Equal(0, s.HolderCount);
        }
        finally
        {
            File.Delete(made.Path!);
        }
    }

    [RootFact]
    public void Another_mount_namespace_is_listed_only_with_AllNamespaces_and_shared_ones_once()
    {
        string name = Unique.Name("shmtools-ns");
        using var host = HeldSegment.Start("file", "/dev/shm", Unique.Name("shmtools-host"), "4096", "map");
        // A namespace that shares the host's /dev/shm (no new tmpfs): must not list host segments twice.
        using var sharing = HeldSegment.StartWith("unshare", ["-m", "--propagation", "private", "python3", HeldSegment.HelperPath, "file", "/dev/shm", Unique.Name(), "4096", "map"]);
        using var held = HeldSegment.StartWith("unshare", ["-m", "--propagation", "private", "sh", "-c",
            $"mount -t tmpfs shmtools-test /dev/shm && exec python3 {HeldSegment.HelperPath} file /dev/shm {name} 65536 map"]);
        Assert.False(File.Exists("/dev/shm/" + name));
        Assert.Empty(new ShmInventory().Scan(new ShmQuery { Names = [name] }).Segments);

        var s = Single(name, allNamespaces: true);
        Assert.Equal(SegmentKind.Posix, s.Kind);
        Assert.StartsWith("mnt:[", s.Namespace);
        Assert.Matches(@"^/proc/\d+/root/dev/shm/", s.Path);
        Assert.Equal(65536, s.SizeBytes);
        Assert.Contains(s.Attachments, a => a.Pid == held.Pid);

        var again = Single(host.Name!, allNamespaces: true);
        Assert.Null(again.Namespace);
    }
}

public sealed class SegmentNamesTests
{
    [Fact]
    public void Completion_names_come_from_dev_shm_and_the_SysV_table()
    {
        int key = Unique.SysVKey();
        using var sysv = HeldSegment.Start("sysv", key.ToString(), "4096");
        using var file = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "map");
        var names = SegmentNames.List();
        Assert.Contains(file.Name!, names);
        Assert.Contains("0x" + key.ToString("x8"), names);
    }
}
