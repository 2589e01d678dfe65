using System.Diagnostics;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Shm;

/// <summary>A streamed scan (segments made batch by batch) says what a whole scan says, in the same order.</summary>
public sealed class InventoryStreamTests
{
    [Fact]
    public void Batches_in_order_are_the_whole_scan_with_unlisted_files_merged_in_place()
    {
        string prefix = Unique.Name("stream");
        const int Files = 1300; // three batches
        var names = Enumerable.Range(0, Files).Select(i => $"{prefix}-{i:x}").ToList();
        foreach (var n in names) File.WriteAllBytes("/dev/shm/" + n, new byte[(names.IndexOf(n) % 3 + 1) * 512]);
        // A held file unlinked since: not in the listing, found by its holder, sorted among the rest.
        using var deleted = HeldSegment.Start("file", "/dev/shm", prefix + "-8zz", "4096", "deleted");
        try
        {
            var query = new ShmQuery { Names = [prefix + "*"] };
            var inventory = new ShmInventory();
            var scan = inventory.Begin(query);
            Assert.Equal(3, scan.BatchCount);
            Assert.Empty(scan.Facts.Segments);
            var batches = Enumerable.Range(0, scan.BatchCount).Select(scan.Batch).ToList();
            Assert.All(batches.Take(2), b => Assert.True(b.Count >= InventoryScan.BatchSize, "a full batch holds every listed file of its range"));
            var streamed = batches.SelectMany(b => b).ToList();
            var whole = inventory.Scan(query).Segments;

            Assert.Equal(whole.Select(s => (s.Kind, s.Name, s.Inode)), streamed.Select(s => (s.Kind, s.Name, s.Inode)));
            Assert.Equal(Files + 1, streamed.Count);
            var posix = streamed.Where(s => s.Kind == SegmentKind.Posix).Select(s => s.Name).ToList();
            Assert.Equal(posix.Order(StringComparer.Ordinal), posix);
            var gone = Assert.Single(streamed, s => s.Kind == SegmentKind.Deleted);
            Assert.Equal(deleted.Pid, Assert.Single(gone.Attachments, a => a.Via == Core.Processes.AttachmentKind.Map).Pid);
            Assert.Equal(streamed.Count - 1, streamed.IndexOf(gone)); // Deleted sorts after every Posix kind
            // Each batch is made anew from the same pass: asking again gives equal segments.
            Assert.Equal(batches[1].Select(s => s.Name), scan.Batch(1).Select(s => s.Name));
            Assert.Equal(streamed.Select(s => s.Name), scan.Segments().Select(s => s.Name));
        }
        finally
        {
            TestHost.Remove(names.ToArray());
        }
    }

    [Fact]
    public void Scans_that_follow_renames_and_replacements_keep_the_order_a_first_scan_gives()
    {
        // A scan tries the last scan's order first: a directory that changed under the same count
        // of names (renamed, replaced) must come out as a fresh inventory sorts it.
        string prefix = Unique.Name("reorder");
        var names = Enumerable.Range(0, 300).Select(i => $"{prefix}-{i:d3}").ToList();
        foreach (var n in names) File.WriteAllBytes("/dev/shm/" + n, new byte[16]);
        var query = new ShmQuery { Names = [prefix + "*"] };
        var inventory = new ShmInventory();
        List<string> Listed(ShmInventory inv) => inv.Scan(query).Segments.Select(s => s.Name).ToList();
        try
        {
            var steps = new List<Action>
            {
                () => { },
                () => File.Move($"/dev/shm/{prefix}-000", $"/dev/shm/{prefix}-zzz"),
                () => { File.Delete($"/dev/shm/{prefix}-150"); File.WriteAllBytes($"/dev/shm/{prefix}-0", new byte[16]); },
                () => { File.Move($"/dev/shm/{prefix}-001", $"/dev/shm/{prefix}-x"); File.Move($"/dev/shm/{prefix}-299", $"/dev/shm/{prefix}-001"); },
            };
            foreach (var step in steps)
            {
                step();
                var again = Listed(inventory);
                Assert.Equal(300, again.Count);
                Assert.Equal(again.Order(StringComparer.Ordinal), again);
                Assert.Equal(Listed(new ShmInventory()), again);
            }
        }
        finally
        {
            TestHost.Remove(Directory.GetFiles("/dev/shm", prefix + "*").Select(Path.GetFileName).ToArray()!);
        }
    }

    [Fact]
    public void The_shared_inventory_scanned_from_several_threads_at_once_while_names_change_stays_whole_and_in_order()
    {
        // ShmInventory.Of() is one per process: cmdlets, scrapes and cleanups may scan on it at once.
        string prefix = Unique.Name("shared");
        // Names no one touches must be in every scan exactly once; names renamed during a scan may be
        // missed or seen under either name (readdir and a later statx race the rename), never twice.
        const int Stable = 400, Churned = 40;
        var stable = Enumerable.Range(0, Stable).Select(i => $"{prefix}-{i:d3}").ToList();
        for (int i = 0; i < Stable; i++) File.WriteAllBytes("/dev/shm/" + stable[i], new byte[16]);
        for (int i = 0; i < Churned; i++) File.WriteAllBytes($"/dev/shm/{prefix}-c{i:d2}", new byte[16]);
        const int Files = Stable + Churned;
        var query = new ShmQuery { Names = [prefix + "*"] };
        var inventory = ShmInventory.Of();
        Assert.Same(inventory, ShmInventory.Of(InventorySources.System));
        using var stop = new CancellationTokenSource();
        // One churned name at a time is renamed away and back.
        var churn = Task.Run(() =>
        {
            for (int k = 0; !stop.IsCancellationRequested; k++)
            {
                string from = $"/dev/shm/{prefix}-c{k % Churned:d2}", to = $"/dev/shm/{prefix}-x{k % Churned:d2}";
                File.Move(from, to);
                File.Move(to, from);
            }
        });
        try
        {
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.For(0, 4, _ =>
            {
                for (int r = 0; r < 15; r++)
                {
                    var names = inventory.Scan(query).Segments.Select(s => s.Name).ToList();
                    if (!names.SequenceEqual(names.Order(StringComparer.Ordinal))) failures.Add("out of order: " + string.Join(",", names.Take(5)));
                    var missing = stable.Except(names).ToList();
                    if (missing.Count > 0) failures.Add($"{missing.Count} untouched names missing, first {missing[0]}");
                    if (names.Distinct().Count() != names.Count) failures.Add("a name twice");
                    if (names.Count > Files) failures.Add($"{names.Count} names of {Files}");
                }
            });
            Assert.Empty(failures);
            stop.Cancel();
            churn.Wait();
            // Quiet again: the shared inventory says what a fresh one says.
            var quiet = inventory.Scan(query).Segments.Select(s => s.Name).ToList();
            Assert.Equal(Files, quiet.Count);
            Assert.Equal(new ShmInventory().Scan(query).Segments.Select(s => s.Name), quiet);
        }
        finally
        {
            stop.Cancel();
            churn.Wait();
            TestHost.Remove(Directory.GetFiles("/dev/shm", prefix + "*").Select(Path.GetFileName).ToArray()!);
        }
    }

    [Fact]
    public void A_filter_that_leaves_whole_batches_empty_still_streams_the_rest_in_order()
    {
        string prefix = Unique.Name("sparse");
        var names = Enumerable.Range(0, 1100).Select(i => $"{prefix}-{i:d4}").ToList();
        for (int i = 0; i < names.Count; i++) File.WriteAllBytes("/dev/shm/" + names[i], new byte[i >= 1090 ? 65536 : 16]);
        try
        {
            var scan = new ShmInventory().Begin(new ShmQuery { Names = [prefix + "*"], MinimumSize = 65536 });
            Assert.Equal(3, scan.BatchCount);
            Assert.Empty(scan.Batch(0));
            Assert.Empty(scan.Batch(1));
            Assert.Equal(names.Skip(1090), scan.Segments().Select(s => s.Name));
        }
        finally
        {
            TestHost.Remove(names.ToArray());
        }
    }

    [Fact]
    public void An_empty_scan_has_no_batches()
    {
        var scan = new ShmInventory().Begin(new ShmQuery { Names = [Unique.Name("none") + "*"] });
        Assert.Equal(0, scan.BatchCount);
        Assert.Empty(scan.Segments());
        Assert.Throws<ArgumentOutOfRangeException>(() => scan.Batch(0));
    }
    [Fact]
    public void Unlinked_files_that_share_a_name_come_in_inode_order_in_a_whole_scan_and_a_streamed_one()
    {
        // Eight names, each on two unlinked files. The newer file of each name (the higher inode)
        // is held by the older process (the lower pid, read first by the /proc pass), so an order
        // left to how the holdings were collected would show the pairs reversed.
        string prefix = Unique.Name("twin");
        var names = Enumerable.Range(0, 8).Select(k => $"{prefix}-{k}").ToList();
        const string Late = "import mmap, os, sys\n" +
            "path = sys.argv[1]; sys.stdin.readline()\n" +
            "fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600); os.ftruncate(fd, 4096)\n" +
            "m = mmap.mmap(fd, 4096); os.unlink(path); print('ready', flush=True); sys.stdin.read()\n";
        var late = names.Select(n => Process.Start(new ProcessStartInfo("python3", ["-c", Late, "/dev/shm/" + n])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!).ToList();
        var early = new List<HeldSegment>();
        try
        {
            foreach (var n in names) early.Add(HeldSegment.Start("file", "/dev/shm", n, "8192", "deleted"));
            foreach (var p in late)
            {
                p.StandardInput.WriteLine("go");
                p.StandardInput.Flush();
                Assert.Equal("ready", p.StandardOutput.ReadLine());
            }
            var query = new ShmQuery { Names = [prefix + "-*"] };
            var inventory = new ShmInventory();
            var whole = inventory.Scan(query).Segments;
            Assert.Equal(16, whole.Count);
            Assert.All(whole, s => Assert.Equal(SegmentKind.Deleted, s.Kind));
            foreach (var pair in whole.GroupBy(s => s.Name))
                Assert.Equal(pair.Select(s => s.Inode).Order(), pair.Select(s => s.Inode));
            Assert.Equal(whole.Select(s => s.Inode), inventory.Begin(query).Segments().Select(s => s.Inode));
        }
        finally
        {
            foreach (var h in early) h.Dispose();
            foreach (var p in late)
            {
                try { p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { }
                p.Dispose();
            }
        }
    }
}
