using ShmTools.Core.Cleanup;
using ShmTools.Core.Shm;
using ShmTools.Tests.Cleanup;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Shm;

/// <summary>
/// Some systems make /dev/shm a symbolic link (to /run/shm). The host's own one is followed:
/// listed, named for completion, judged and cleaned in the directory it names, under one turn.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class LinkedShmDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory($"/dev/shm/linktest-{Guid.NewGuid():N}").FullName;
    private readonly string _link = Path.Combine(Path.GetTempPath(), $"linked-shm-{Guid.NewGuid():N}");
    private readonly long _tag = DeadSegments.Tag();

    public LinkedShmDirectoryTests() => File.CreateSymbolicLink(_link, _dir);

    public void Dispose()
    {
        File.Delete(_link);
        Directory.Delete(_dir, recursive: true);
    }

    private InventorySources Sources => InventorySources.System with { ShmDirectory = _link };

    [RootFact]
    public void A_linked_shm_directory_is_listed_judged_and_cleaned_where_it_leads_and_the_held_file_stays()
    {
        int dead = DeadSegments.DeadPid();
        var stale = Enumerable.Range(1, 5).Select(i => $"torch_{dead}_{_tag}{i}_0").ToList();
        foreach (var n in stale) File.WriteAllBytes(Path.Combine(_dir, n), new byte[4096]);
        using var held = HeldSegment.Start("file", _dir, $"torch_{dead}_{_tag}9_0", "4096", "map");
        var query = new ShmQuery { Names = [$"torch_*_{_tag}*"], Kinds = [SegmentKind.Posix] };

        var scan = new ShmInventory(Sources).Scan(query);
        Assert.Equal(6, scan.Segments.Count);
        Assert.All(scan.Segments, s => Assert.Equal(_dir + "/" + s.Name, s.Path));
        Assert.DoesNotContain(scan.Warnings, w => w.Contains("not a directory", StringComparison.Ordinal));
        Assert.Contains(stale[0], SegmentNames.List(Sources));

        // The cleanup scans itself, under the turn of the directory the link names: another
        // process cannot take that directory's lock between the scan and the removals.
        string? turnSeen = null;
        using var cleaner = new StaleSegmentCleaner(DeadSegments.Options() with { Liveness = DeadSegments.Liveness with { LockWait = TimeSpan.FromSeconds(5) } }, Sources)
        {
            Scanned = _ => turnSeen = DirectoryLockProbe.State(_dir),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = cleaner.Run(CleanupInput.Scan(query), CleanupApprover.ApproveAll);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the cleanup waited {clock.Elapsed} for a turn");
        Assert.Equal("taken", turnSeen);
        Assert.Equal("free", DirectoryLockProbe.State(_dir));
        Assert.True(stale.ToHashSet().SetEquals(report.Removed.Select(r => r.Name)), string.Join(", ", report.Removed.Select(r => r.Name)));
        Assert.True(File.Exists(Path.Combine(_dir, held.Name!)));
        Assert.All(stale, n => Assert.False(File.Exists(Path.Combine(_dir, n))));
    }

    [RootFact]
    public void A_link_that_names_no_directory_is_reported_and_lists_nothing()
    {
        File.Delete(_link);
        File.CreateSymbolicLink(_link, _dir + "-gone");
        var scan = new ShmInventory(Sources).Scan(new ShmQuery { Kinds = [SegmentKind.Posix] });
        Assert.DoesNotContain(scan.Segments, s => s.Kind == SegmentKind.Posix && s.Path.StartsWith(_dir, StringComparison.Ordinal));
        Assert.Contains(scan.Warnings, w => w.StartsWith(_link + ": a symbolic link to " + _dir + "-gone that cannot be followed: no such file (ENOENT)", StringComparison.Ordinal) && w.Contains("no POSIX segments listed", StringComparison.Ordinal));
    }

    [RootFact]
    public void A_link_ending_in_a_slash_to_another_link_is_cleaned_under_the_turn_of_the_directory_it_names()
    {
        string hop = _link + "-hop";
        File.CreateSymbolicLink(hop, _dir);
        File.Delete(_link);
        File.CreateSymbolicLink(_link, hop + "/");
        try
        {
            int dead = DeadSegments.DeadPid();
            string stale = $"torch_{dead}_{_tag}1_0";
            File.WriteAllBytes(Path.Combine(_dir, stale), new byte[4096]);
            string? turnSeen = null;
            using var cleaner = new StaleSegmentCleaner(DeadSegments.Options() with { Liveness = DeadSegments.Liveness with { LockWait = TimeSpan.FromSeconds(5) } }, Sources)
            {
                Scanned = _ => turnSeen = DirectoryLockProbe.State(_dir),
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var report = cleaner.Run(CleanupInput.Scan(new ShmQuery { Names = [$"torch_*_{_tag}*"], Kinds = [SegmentKind.Posix] }), CleanupApprover.ApproveAll);
            // One turn, on the directory itself: the judging step does not wait for the run's own lock.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the cleanup waited {clock.Elapsed} for a turn");
            Assert.Equal("taken", turnSeen);
            Assert.Equal(stale, Assert.Single(report.Removed).Name);
        }
        finally
        {
            File.Delete(hop);
        }
    }
}
