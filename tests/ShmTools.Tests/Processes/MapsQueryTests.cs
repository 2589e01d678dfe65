using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;
using Xunit;

namespace ShmTools.Tests.Processes;

/// <summary>Maps read by PROCMAP_QUERY against maps read as text, over real processes holding every kind there is.</summary>
public sealed class MapsQueryTests
{
    /// <summary>Whether this kernel answers the query (Linux 6.11 and later do); checked on this process's own maps.</summary>
    private static bool KernelHasQuery()
    {
        int fd = MapsQuery.Open("/proc/self/maps");
        Assert.True(fd >= 0);
        try
        {
            int err = MapsQuery.Next(fd, 0, out var first);
            var release = Environment.OSVersion.Version;
            bool newEnough = release.Major > 6 || (release.Major == 6 && release.Minor >= 11);
            // A kernel new enough must answer; an older one must refuse in a way the pass knows.
            if (newEnough) Assert.Equal(0, err);
            else Assert.True(err == 0 || MapsQuery.IsUnknown(err), $"errno {err}");
            if (err == 0) Assert.True(first.End > first.Start);
            return err == 0;
        }
        finally
        {
            MapsQuery.Close(fd);
        }
    }

    private static ProcessHoldings Pass(bool byQuery, DeviceId shm, IReadOnlyList<int> pids) =>
        new ProcessScanner(new ProcessTable(), new HashSet<DeviceId> { shm }) { ReadMapsByQuery = byQuery, NameHolders = false }.Scan(pids);

    /// <summary>Every holding of the pids, path left out (a pass by query keeps none), in one order.</summary>
    private static List<string> Facts(ProcessHoldings h, ISet<int> pids)
    {
        var rows = new List<string>();
        foreach (var (key, list) in h.Files)
            foreach (var x in list.Where(x => pids.Contains(x.Pid)))
                rows.Add($"file {key} {x.Pid} {x.Via} {x.MappedBytes} {x.Extent} {x.MapStart:x}-{x.MapEnd:x} fd{x.Fd} tid{x.Tid}");
        foreach (var (shmid, list) in h.SysV)
            foreach (var x in list.Where(x => pids.Contains(x.Pid)))
                rows.Add($"sysv {shmid} {x.Pid} {x.Via} {x.MappedBytes} {x.Extent} {x.MapStart:x}-{x.MapEnd:x}");
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>Maps a memfd and shared anonymous memory (both on the kernel's internal shm device, as SysV segments are), shared.</summary>
    private const string InternalShmMapper =
        "import json,mmap,os,sys\n" +
        "fd=os.memfd_create('shmtools-q'); os.ftruncate(fd,8192)\n" +
        "m=mmap.mmap(fd,8192,mmap.MAP_SHARED); os.close(fd)\n" +
        "a=mmap.mmap(-1,16384,mmap.MAP_SHARED); a[:4]=b'abcd'; m[:4]=b'abcd'\n" +
        "print(json.dumps({'pid':os.getpid()}),flush=True)\n" +
        "sys.stdin.read()\n";

    [Fact]
    public void Both_ways_of_reading_maps_find_the_same_holdings_of_every_kind()
    {
        if (!KernelHasQuery()) return;
        string dir = "/dev/shm";
        Assert.Equal(0, Posix.Stat(dir, followLinks: true, out var shm));
        using var psm = HeldSegment.Start("psm", "65536");
        using var mapOnly = HeldSegment.Start("file", dir, Unique.Name("q-maponly"), "16384", "maponly");
        using var readOnly = HeldSegment.Start("file", dir, Unique.Name("q-ro"), "8192", "maponly-ro");
        using var gone = HeldSegment.Start("file", dir, Unique.Name("q-gone"), "12288", "maponly-deleted");
        using var fdOnly = HeldSegment.Start("file", dir, Unique.Name("q-fd"), "4096", "fd");
        using var sysv = HeldSegment.Start("sysv", "0", "32768");
        using var sem = HeldSegment.Start("sem", Unique.Name("q-sem"));
        using var internalShm = HeldSegment.StartWith("python3", ["-c", InternalShmMapper]);
        // Not this process: other tests map and unmap in it meanwhile.
        var pids = new[] { psm.Pid, mapOnly.Pid, readOnly.Pid, gone.Pid, fdOnly.Pid, sysv.Pid, sem.Pid, internalShm.Pid };
        var byText = Pass(false, shm.Device, pids);
        var byQuery = Pass(true, shm.Device, pids);
        var mine = pids.ToHashSet();
        var text = Facts(byText, mine);
        Assert.Equal(text, Facts(byQuery, mine));
        // Every kind was there to compare: a SysV attachment, mappings with and without a descriptor, an unlinked file.
        Assert.Contains(text, r => r.StartsWith("sysv ") && r.Contains($" {sysv.Pid} SysV "));
        Assert.Contains(text, r => r.Contains($" {gone.Pid} Map "));
        Assert.Contains(text, r => r.Contains($" {fdOnly.Pid} Fd "));
        // A memfd and shared anonymous memory are neither SysV segments nor files of /dev/shm.
        Assert.DoesNotContain(text, r => r.Contains($" {internalShm.Pid} "));
        string internalMaps = File.ReadAllText($"/proc/{internalShm.Pid}/maps");
        Assert.Contains("/memfd:shmtools-q", internalMaps);
        Assert.Contains("/dev/zero (deleted)", internalMaps);

        // The unlinked file: the text gave its old name at once; by query it is asked afterwards, and is the same.
        var textHolding = byText.Files.SelectMany(kv => kv.Value.Select(h => (kv.Key, h))).Single(x => x.h.Pid == gone.Pid && x.h.Via == AttachmentKind.Map);
        var queried = byQuery.Files[textHolding.Key].Single(h => h.Pid == gone.Pid && h.Via == AttachmentKind.Map);
        Assert.Null(queried.Path);
        Assert.Equal(gone.Path + " (deleted)", textHolding.h.Path);
        Assert.Equal(textHolding.h.Path, MappedPaths.Of("/proc", queried, textHolding.Key));
        // Asked of a file the process does not map, there is no name; at an address where the
        // mapping no longer starts (moved, or gone while another stays), the maps text names it.
        Assert.Null(MappedPaths.Of("/proc", queried, textHolding.Key with { Inode = textHolding.Key.Inode + 1 }));
        Assert.Equal(textHolding.h.Path, MappedPaths.Of("/proc", queried with { MapStart = queried.MapStart + 4096 }, textHolding.Key));
        Assert.Equal(textHolding.h.Path, MappedPaths.Of("/proc", queried with { MapStart = 0x1000 }, textHolding.Key));
    }

    /// <summary>
    /// Maps a file 18 directories of 249 bytes deep in /dev/shm (a path past PATH_MAX, which the
    /// query cannot return and an fd link cannot be read under), then unlinks it; removes the
    /// directories when its stdin closes.
    /// </summary>
    private const string DeepMapper =
        "import json,mmap,os,sys\n" +
        "top=sys.argv[1]; parts=[top]+['d'*249]*17\n" +
        "fds=[os.open('/dev/shm',os.O_RDONLY)]\n" +
        "for p in parts:\n" +
        "    os.mkdir(p,dir_fd=fds[-1]); fds.append(os.open(p,os.O_RDONLY,dir_fd=fds[-1]))\n" +
        "f=os.open('deep-file',os.O_CREAT|os.O_RDWR,0o600,dir_fd=fds[-1]); os.ftruncate(f,8192)\n" +
        "m=mmap.mmap(f,8192); os.close(f); os.unlink('deep-file',dir_fd=fds[-1])\n" +
        "print(json.dumps({'pid':os.getpid(),'path':'/dev/shm/'+'/'.join(parts)+'/deep-file'}),flush=True)\n" +
        "sys.stdin.read()\n" +
        "for i in range(len(parts)-1,-1,-1): os.rmdir(parts[i],dir_fd=fds[i])\n";

    [Fact]
    public void An_unlinked_file_mapped_under_a_path_past_PATH_MAX_is_still_found_by_its_old_name()
    {
        if (!KernelHasQuery()) return;
        using var deep = HeldSegment.StartWith("python3", ["-c", DeepMapper, Unique.Name("q-deep")]);
        Assert.True(deep.Path!.Length > 4096);
        var s = Assert.Single(new ShmInventory().Scan(new ShmQuery { Names = ["deep-file"] }).Segments, x => x.Path == deep.Path);
        Assert.Equal(SegmentKind.Deleted, s.Kind);
        Assert.Contains(s.Attachments, a => a.Pid == deep.Pid && a.Via == AttachmentKind.Map && a.MappedBytes == 8192);
    }

    [Fact]
    public void A_forged_proc_that_refuses_the_query_is_read_as_text_and_real_maps_are_still_queried()
    {
        if (!KernelHasQuery()) return;
        Assert.Equal(0, Posix.Stat("/dev/shm", followLinks: true, out var shm));
        string fake = Directory.CreateTempSubdirectory("shmtools-forged-proc-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(fake, "4242"));
            File.WriteAllText(Path.Combine(fake, "4242", "maps"),
                $"7f0000000000-7f0000002000 rw-s 00000000 {shm.Device.Major:x2}:{shm.Device.Minor:x2} 99    /dev/shm/forged (deleted)\n");
            // A regular file answers the ioctl with ENOTTY, as an old kernel would: this file is read as text.
            var forged = new ProcessScanner(new ProcessTable(fake), new HashSet<DeviceId> { shm.Device }) { NameHolders = false, ReadDescriptors = false }.Scan([4242]);
            var h = Assert.Single(forged.HoldersOf(new FileKey(shm.Device, 99)));
            Assert.Equal("/dev/shm/forged (deleted)", h.Path);
            Assert.Empty(forged.Problems);
            // and the real maps read after it are still read by query (which keeps no path).
            using var gone = HeldSegment.Start("file", "/dev/shm", Unique.Name("q-after"), "4096", "maponly-deleted");
            var real = Pass(true, shm.Device, [gone.Pid]);
            Assert.Null(real.Files.SelectMany(kv => kv.Value).Single(x => x.Pid == gone.Pid && x.Via == AttachmentKind.Map).Path);
        }
        finally
        {
            Directory.Delete(fake, recursive: true);
        }
    }

    [Fact]
    public void An_unlinked_file_held_only_by_a_mapping_is_listed_as_deleted_under_its_old_name()
    {
        if (!KernelHasQuery()) return;
        using var gone = HeldSegment.Start("file", "/dev/shm", Unique.Name("q-unlinked"), "20480", "maponly-deleted");
        string name = Path.GetFileName(gone.Path!);
        var s = Assert.Single(new ShmInventory().Scan(new ShmQuery { Names = [name] }).Segments);
        Assert.Equal(SegmentKind.Deleted, s.Kind);
        Assert.Equal(gone.Path, s.Path);
        var a = Assert.Single(s.Attachments);
        Assert.Equal((gone.Pid, AttachmentKind.Map, 20480L), (a.Pid, a.Via, a.MappedBytes));
    }
}
