using System.Diagnostics;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Text;

namespace ShmTools.Core.Shm;

/// <summary>
/// The inventory of shared memory on this host: POSIX objects and semaphores in /dev/shm (and,
/// on request, other namespaces' /dev/shm), System V segments, and unlinked tmpfs files that are
/// still mapped or open — each with the processes holding it, from one pass over /proc.
/// </summary>
public sealed class ShmInventory
{
    private readonly InventorySources _sources;
    private readonly ProducerCatalog _producers;
    private int _lastListed; // a capacity hint for the next listing
    private int[]? _lastOrder; // the order the last listing was put in, tried first by the next
    private int _lastHeld;   // and for the next pass's holdings
    private IReadOnlyList<(int Pid, int Bytes)>? _lastMapsBytes; // each process's maps size at the last pass, to read the largest first

    private static readonly Lazy<ShmInventory> SystemInventory = new(() => new ShmInventory());

    /// <summary>
    /// The inventory of <paramref name="sources"/>, one per process for this host's own /proc and
    /// /dev/shm (the rest get one each): what a scan learns for the next (the last listing's order
    /// and size, each process's maps size) then carries from one cmdlet, scrape or cleanup to the
    /// next. Scans may run on it at once: those are hints, each checked or only a size.
    /// </summary>
    public static ShmInventory Of(InventorySources? sources = null) =>
        sources == null || ReferenceEquals(sources, InventorySources.System) ? SystemInventory.Value : new ShmInventory(sources);

    public ShmInventory(InventorySources? sources = null, ProducerCatalog? producers = null)
    {
        _sources = sources ?? InventorySources.System;
        _producers = producers ?? ProducerCatalog.BuiltIn;
    }

    /// <summary>One scan; <paramref name="cancel"/> stops it within one process's read (then <see cref="OperationCanceledException"/>).</summary>
    public InventoryResult Scan(ShmQuery query, CancellationToken cancel = default) => Begin(query, cancel).ToResult();

    /// <summary>
    /// One scan whose segments are made as they are read out (<see cref="InventoryScan.Batch"/>):
    /// the /proc pass and the listing are done, in the order the inventory returns them.
    /// </summary>
    public InventoryScan Begin(ShmQuery query, CancellationToken cancel = default)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Shared-memory inventory reads /proc and /dev/shm and works on Linux only.");
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var table = new ProcessTable(_sources.ProcRoot);
        var filter = new SegmentFilter(query);

        var roots = ShmRootDiscovery.Discover(_sources, table, query.AllNamespaces, warnings);
        var devices = roots.Select(r => r.Device).ToHashSet();

        // What /proc hides, the directory listing and its sort are done by one of the /proc pass's
        // workers before it joins the pass: no more threads than CPUs, and the others list /proc
        // and read processes meanwhile.
        // The listing and the pass run side by side, on CPUs apart (SideBySide).
        var apart = new Threading.SideBySide();
        var listing = new PosixListing(_lastListed, _lastOrder) { Progress = apart.Note };
        bool wantFiles = filter.WantsListing;
        TimeSpan listingTime = default;
        Exception? listingError = null;
        ProcVisibility? visibility = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? visibilityError = null;
        void List()
        {
            var sw = Stopwatch.StartNew();
            try
            {
                visibility = ProcVisibility.Detect(_sources.ProcRoot);
            }
            catch (Exception ex)
            {
                visibilityError = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
            try
            {
                if (wantFiles)
                    foreach (var root in roots) PosixShmLister.List(root, filter, listing);
                listing.SortAndDropRepeats();
            }
            catch (Exception ex)
            {
                listingError = ex;
            }
            listingTime = sw.Elapsed;
        }
        ProcessHoldings holdings;
        TimeSpan procTime;
        // Judging follows: the listing and the /proc pass wait their turn (another check's probes are no holders).
        using (query.TurnWait is { } wait ? Liveness.TurnLock.TakeDirectories(roots.Select(r => r.Directory), "reading /dev/shm and /proc", wait, ToldWarnings.KeptIn(warnings, query.Notify), cancel) : null)
        {
            var scanner = new ProcessScanner(table, devices) { Cancel = cancel, ExpectedFiles = _lastHeld, LastMapsBytes = _lastMapsBytes, SideBySide = apart };
            holdings = scanner.Scan(alongside: List);
            _lastMapsBytes = scanner.MapsBytes;
            procTime = clock.Elapsed;
        }
        visibilityError?.Throw();
        if (listingError != null) throw new IOException("Listing /dev/shm failed: " + listingError.Message, listingError);
        cancel.ThrowIfCancellationRequested();
        warnings.AddRange(listing.Warnings);
        var entries = listing.Entries;
        _lastListed = entries.Count + entries.Count / 16;
        _lastOrder = listing.Order;
        _lastHeld = holdings.Files.Count;

        var visible = ScanVisibility.Of(holdings.Problems, query.IgnoreInvisible, visibility!);
        var assembler = new SegmentAssembler(_producers, table, visible);
        // Held files the listing saw (asked for or not) are marked listed; the rest are unlisted.
        // The files asked for are marked as their segments are made (InventoryScan), the others here.
        int passedMarked = 0;
        foreach (var key in listing.Passed)
            if (holdings.Files.TryGetValue(key, out var seen) && seen.MarkListed()) passedMarked++;
        List<ShmSegment> Unlisted()
        {
            var found = new List<ShmSegment>();
            if (!filter.WantsUnlisted) return found;
            foreach (var (key, holders) in holdings.Files.NotListed())
                AddUnlisted(key, holders, roots, filter, found, assembler);
            found.RemoveAll(s => !filter.Accepts(s));
            return found;
        }
        var sysV = new List<ShmSegment>();
        if (filter.Wants(SegmentKind.SysV))
            AddSysV(holdings, filter, sysV, assembler, warnings);
        sysV.RemoveAll(s => !filter.Accepts(s));
        var facts = new InventoryResult(Array.Empty<ShmSegment>(), roots, holdings.Problems, listing.Ignored, warnings, holdings.ProcessCount, clock.Elapsed) { Visibility = visible };
        return new InventoryScan(facts, entries, sysV, Unlisted, holdings, filter, assembler, clock, listingTime, procTime) { MarkedBefore = passedMarked };
    }

    /// <summary>A file on a shm tmpfs that processes hold but the directory listing did not show.</summary>
    private static void AddUnlisted(FileKey key, List<Holding> holders, List<ShmRoot> roots, SegmentFilter filter, List<ShmSegment> into, SegmentAssembler assembler)
    {
        var table = assembler.Table;
        var root = roots.Find(r => r.Device == key.Device);
        // On a /dev/shm that is a plain directory, the device is the whole filesystem's: every
        // library and program held from it would pass for an unlinked segment.
        if (root == null || !root.Tmpfs) return;
        // An unlinked file keeps its old name in maps and fd links; a file the listing missed
        // (made since, or in a subdirectory) is named by reading one of those links now. A pass
        // by query kept no paths: the kernel is asked the path of the mapping now.
        // Holders come in the order the pass's workers read them, which varies from run to run;
        // taken by pid (then kind), a file unlinked under two names keeps one of them from scan to scan.
        var byPid = holders.OrderBy(h => h.Pid).ThenBy(h => h.Via).ToList();
        string? seen = byPid.Select(h => h.Path).FirstOrDefault(p => p != null)
            ?? byPid.Select(h => MappedPaths.Of(table.ProcRoot, h, key)).FirstOrDefault(p => p != null)
            ?? byPid.Select(h => h.StatPath(table.ProcRoot)).Select(p => p == null ? null : Posix.ReadLink(p)).FirstOrDefault(p => p != null);
        if (seen == null) return; // every holder exited since the pass
        bool deleted = seen.EndsWith(" (deleted)", StringComparison.Ordinal);
        string path = deleted ? seen[..^" (deleted)".Length] : seen;
        string name = path[(path.LastIndexOf('/') + 1)..];
        if (!filter.MatchesName(name)) return;
        FileStatus st = default;
        bool statted = false;
        foreach (var h in holders)
            if (h.StatPath(table.ProcRoot) is { } sp && Posix.Stat(sp, followLinks: true, out st) == 0 && st.Inode == key.Inode)
            {
                statted = true;
                break;
            }
        if (!statted)
        {
            long extent = holders.Max(h => h.Extent);
            st = new FileStatus(key.Device, key.Inode, UnixFileType.RegularFile, 0, 0, 0, 0, extent, extent,
                default, default, default, null);
        }
        var seg = assembler.FromFile(name, null, path, root.Namespace, st, holders, deleted);
        if (!statted) seg = seg with { Owner = null, OwnerUid = null, Mode = null, Modified = null, Accessed = null, Changed = null, Created = null };
        into.Add(seg);
    }

    private void AddSysV(ProcessHoldings holdings, SegmentFilter filter, List<ShmSegment> into, SegmentAssembler assembler, List<string> warnings)
    {
        string text;
        try
        {
            text = File.ReadAllText(_sources.SysVTable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{_sources.SysVTable}: {ex.Message}; System V segments not listed.");
            return;
        }
        foreach (var row in SysVTableParser.Parse(text, _sources.SysVTable, warnings))
        {
            string name = SysVNames.Of(row.Key, row.Id);
            if (!filter.NamesEverything && !SysVNames.Matches(filter.MatchesName, row.Key, row.Id)) continue;
            var changed = UnixTime.FromSeconds(row.ChangeTime);
            into.Add(new ShmSegment
            {
                Name = name,
                Kind = SegmentKind.SysV,
                Path = SysVNames.MapsPath(row.Key),
                Device = null,
                Inode = (ulong)row.Id,
                SizeBytes = row.Size,
                ResidentBytes = row.ResidentBytes + row.SwapBytes,
                Owner = UserNames.Of(row.Uid),
                OwnerUid = row.Uid,
                Mode = SegmentAssembler.Octal(row.Permissions & 0xFFF),
                Modified = changed,
                Accessed = row.AttachTime > 0 ? UnixTime.FromSeconds(Math.Max(row.AttachTime, row.DetachTime)) : null,
                Changed = changed,
                Producer = assembler.Producer(name, SegmentKind.SysV)?.Producer,
                OwnerPidHint = row.CreatorPid > 0 ? row.CreatorPid : null,
                Creator = assembler.CreatorName(row.CreatorPid, changed),
                SysVKey = row.Key,
                SysVId = row.Id,
                CreatorPid = row.CreatorPid,
                LastPid = row.LastPid,
                AttachCount = row.AttachCount,
                Attachments = assembler.Attachments(holdings.HoldersOfSysV(row.Id)),
                Visibility = assembler.Visibility,
            });
        }
    }
}
