using System.Runtime.InteropServices;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Shm;

/// <summary>Unreadable /proc entries, garbage kernel tables, hostile /dev/shm entries, vanishing processes.</summary>
public sealed class InventoryBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shmtools-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Garbage_lines_in_the_SysV_table_are_skipped_with_their_line_numbers()
    {
        var table = Path.Combine(_dir, "shm");
        File.WriteAllText(table,
            "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n" +
            "      4660          7   600                 65536  3098  3099      2     0     0     0     0 1795305959          0 1795305959                  8192                     0\n" +
            "this is not a row at all\n" +
            "      4661          8   6x0                 65536  3098  3098      1     0     0     0     0 1 0 1 0 0\n" +
            "        -1          9  1666                  4096     1     1      0  1000  1000  1000  1000 0 0 1795305959 4096 4096\n" +
            "      4662         10   600                 65536\n");
        var result = new ShmInventory(new InventorySources { SysVTable = table }).Scan(new ShmQuery { Kinds = [SegmentKind.SysV] });
        Assert.Equal(2, result.Segments.Count);
        var first = result.Segments.Single(s => s.SysVId == 7);
        Assert.Equal((4660, 65536L, 2, 3098, 3099, 8192L), (first.SysVKey!.Value, first.SizeBytes, first.AttachCount!.Value, first.CreatorPid!.Value, first.LastPid!.Value, first.ResidentBytes));
        Assert.Equal("0x00001234", first.Name);
        var second = result.Segments.Single(s => s.SysVId == 9);
        Assert.Equal("0xffffffff", second.Name);
        Assert.Equal(1000u, second.OwnerUid);
        Assert.Equal(8192, second.ResidentBytes);
        Assert.Contains(result.Warnings, w => w.StartsWith(table + ":3: skipped"));
        Assert.Contains(result.Warnings, w => w.StartsWith(table + ":4: skipped"));
        Assert.Contains(result.Warnings, w => w.StartsWith(table + ":6: skipped"));
    }

    [Fact]
    public void A_SysV_table_without_the_expected_header_is_reported_not_guessed()
    {
        var table = Path.Combine(_dir, "shm");
        File.WriteAllText(table, "what is this\n1 2 3\n");
        var result = new ShmInventory(new InventorySources { SysVTable = table }).Scan(new ShmQuery { Kinds = [SegmentKind.SysV] });
        Assert.Empty(result.Segments);
        Assert.Contains(result.Warnings, w => w.StartsWith(table + ":1: header lacks column 'key'"));
    }

    [Fact]
    public void Unreadable_proc_entries_make_the_result_partial_and_vanished_ones_do_not()
    {
        // A fake proc root: pid 100 has a maps that cannot be read (a directory), pid 200 has
        // vanished (no maps at all), pid 300 is readable and maps nothing of interest.
        var proc = Path.Combine(_dir, "proc");
        Directory.CreateDirectory(Path.Combine(proc, "100", "maps"));
        Directory.CreateDirectory(Path.Combine(proc, "200"));
        Directory.CreateDirectory(Path.Combine(proc, "300", "fd"));
        File.WriteAllText(Path.Combine(proc, "300", "maps"), "1000-2000 r-xp 00000000 fe:00 42 /usr/bin/true\n");
        Directory.CreateDirectory(Path.Combine(proc, "self"));
        var result = new ShmInventory(new InventorySources { ProcRoot = proc }).Scan(new ShmQuery());
        Assert.True(result.Partial);
        var problem = Assert.Single(result.ProcessProblems);
        Assert.Equal(100, problem.Pid);
        Assert.Equal("maps", problem.Entry);
        Assert.Contains(proc + "/100/maps", problem.Message);
        Assert.Equal(3, result.ProcessesScanned);
        Assert.All(result.Segments, s => Assert.False(s.AttachmentsComplete));
    }

    [Fact]
    public void Pids_declared_harmless_are_neither_counted_nor_warned_about_and_the_fact_is_the_scans()
    {
        var proc = Path.Combine(_dir, "proc");
        Directory.CreateDirectory(Path.Combine(proc, "100", "maps"));
        Directory.CreateDirectory(Path.Combine(proc, "101", "maps"));
        Directory.CreateDirectory(Path.Combine(proc, "self"));
        File.WriteAllText(Path.Combine(_dir, "mine"), "x");
        var sources = new InventorySources { ProcRoot = proc };
        var warned = new ShmInventory(sources).Scan(new ShmQuery { IgnoreInvisible = [100] });
        Assert.Equal([101], warned.Visibility.UnreadablePids);
        Assert.Equal([100], warned.Visibility.IgnoredPids);
        Assert.Contains("1 process(es) could not be read", warned.VisibilityWarning);
        Assert.DoesNotContain(proc + "/100/", warned.VisibilityWarning);
        Assert.Contains(proc + "/101/maps", warned.VisibilityWarning);

        var quiet = new ShmInventory(sources).Scan(new ShmQuery { IgnoreInvisible = [100, 101] });
        Assert.Equal(2, quiet.ProcessProblems.Count); // still on record
        Assert.Empty(quiet.Visibility.UnreadablePids);
        Assert.DoesNotContain("could not be read", quiet.VisibilityWarning ?? "");
        Assert.Equal(quiet.Visibility.Proc.IsComplete, !quiet.Partial);
        // One fact per scan: every segment refers to the result's own.
        Assert.All(quiet.Segments, seg => Assert.Same(quiet.Visibility, seg.Visibility));
        Assert.All(warned.Segments, seg => Assert.Same(warned.Visibility, seg.Visibility));
    }

    [Fact]
    public void A_dev_shm_that_is_a_plain_directory_lists_its_files_and_takes_nothing_else_held_on_that_filesystem()
    {
        // Beside the test's own assemblies, which this process has mapped from the same filesystem.
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, Unique.Name("plain-shm"))).FullName;
        try
        {
            Assert.Equal(0, Posix.FileSystemType(dir, out long magic));
            Assert.NotEqual(Posix.TmpfsMagic, magic);
            File.WriteAllBytes(Path.Combine(dir, "seg"), new byte[4096]);
            var result = new ShmInventory(new InventorySources { ShmDirectory = dir }).Scan(new ShmQuery());
            var only = Assert.Single(result.Segments, s => s.Kind != SegmentKind.SysV);
            Assert.Equal(Path.Combine(dir, "seg"), only.Path);
            Assert.Contains(result.Warnings, w => w.Contains("not a tmpfs", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Symlinks_fifos_and_directories_in_dev_shm_are_reported_and_never_followed()
    {
        string tag = Unique.Name("shmtools-hostile");
        var target = Path.Combine(_dir, "secret");
        File.WriteAllText(target, "outside the tmpfs");
        var link = "/dev/shm/" + tag + "-link";
        var fifo = "/dev/shm/" + tag + "-fifo";
        var dir = "/dev/shm/" + tag + "-dir";
        File.CreateSymbolicLink(link, target);
        Assert.Equal(0, Mkfifo(fifo));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "inner"), "x");
        try
        {
            var result = new ShmInventory().Scan(new ShmQuery { Names = [tag + "*"] });
            Assert.Empty(result.Segments);
            Assert.Equal(3, result.IgnoredEntries.Count);
            Assert.Contains(result.IgnoredEntries, e => e.Path == link && e.Type == UnixFileType.SymbolicLink);
            Assert.Contains(result.IgnoredEntries, e => e.Path == fifo && e.Type == UnixFileType.Fifo);
            Assert.Contains(result.IgnoredEntries, e => e.Path == dir && e.Type == UnixFileType.Directory);
            Assert.Equal("outside the tmpfs", File.ReadAllText(target));
        }
        finally
        {
            File.Delete(link);
            File.Delete(fifo);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Processes_exiting_mid_scan_are_skipped_and_steady_holders_always_found()
    {
        using var steady = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "map");
        using var churn = HeldSegment.Start("churn", "/dev/shm", steady.Name!);
        var inventory = new ShmInventory();
        for (int i = 0; i < 40; i++)
        {
            var result = inventory.Scan(new ShmQuery { Names = [steady.Name!] });
            var s = Assert.Single(result.Segments);
            Assert.Contains(s.Attachments, a => a.Pid == steady.Pid);
            Assert.DoesNotContain(result.ProcessProblems, p => Posix.IsGone(p.Errno));
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    private static int Mkfifo(string path) => mkfifo(path, Convert.ToUInt32("600", 8));
}
