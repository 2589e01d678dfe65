using System.Diagnostics;
using System.Globalization;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Text;
using ShmTools.Core.Threading;

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

    public ShmInventory(InventorySources? sources = null, ProducerCatalog? producers = null)
    {
        _sources = sources ?? InventorySources.System;
        _producers = producers ?? ProducerCatalog.BuiltIn;
    }

    /// <summary>One scan; <paramref name="cancel"/> stops it within one process's read (then <see cref="OperationCanceledException"/>).</summary>
    public InventoryResult Scan(ShmQuery query, CancellationToken cancel = default)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Shared-memory inventory reads /proc and /dev/shm and works on Linux only.");
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var table = new ProcessTable(_sources.ProcRoot);
        var filter = new SegmentFilter(query);

        var roots = ShmRootDiscovery.Discover(_sources, table, query.AllNamespaces, warnings);
        var visibility = ProcVisibility.Detect(_sources.ProcRoot);
        var devices = roots.Select(r => r.Device).ToHashSet();

        // The directory listing and the SysV table are read while the /proc pass runs.
        var listing = new PosixListing(_lastListed);
        bool wantFiles = filter.WantsListing;
        TimeSpan listingTime = default;
        Exception? listingError = null;
        var lister = new Thread(() =>
        {
            var sw = Stopwatch.StartNew();
            try
            {
                if (wantFiles)
                    foreach (var root in roots) PosixShmLister.List(root, filter, listing);
            }
            catch (Exception ex)
            {
                listingError = ex;
            }
            listingTime = sw.Elapsed;
        }) { IsBackground = true, Name = "shmtools-listing" };
        lister.Start();
        var holdings = new ProcessScanner(table, devices) { Cancel = cancel }.Scan();
        var procTime = clock.Elapsed;
        lister.Join();
        if (listingError != null) throw new IOException("Listing /dev/shm failed: " + listingError.Message, listingError);
        cancel.ThrowIfCancellationRequested();
        warnings.AddRange(listing.Warnings);
        var entries = listing.Entries;
        _lastListed = entries.Count + entries.Count / 16;
        var assembleStart = clock.Elapsed;

        var visible = ScanVisibility.Of(holdings.Problems, query.IgnoreInvisible, visibility);
        var segments = new List<ShmSegment>(entries.Count + 16);
        foreach (var part in Chunked.Run(entries, (list, from, to) =>
        {
            var made = new List<ShmSegment>(to - from);
            for (int i = from; i < to; i++)
            {
                var e = list[i];
                var key = new FileKey(e.Status.Device, e.Status.Inode);
                var holders = holdings.HoldersOf(key);
                if (!filter.Accepts(KindOf(e.Name, deleted: false), e.Status.SizeBytes, e.Status.Uid, null, holders, static h => h.Pid)) continue;
                made.Add(FromFile(e.Name, e.RawName, e.Root.Directory + "/" + e.Name, e.Root.Namespace, e.Status, holders, table, visible));
            }
            return made;
        }))
            segments.AddRange(part);
        if (filter.WantsUnlisted)
        {
            // Held files the listing saw (asked for or not) are marked; the rest are unlisted.
            foreach (var e in entries)
                if (holdings.Files.TryGetValue(new FileKey(e.Status.Device, e.Status.Inode), out var seen)) seen.Listed = true;
            foreach (var key in listing.Passed)
                if (holdings.Files.TryGetValue(key, out var seen)) seen.Listed = true;
            foreach (var (key, holders) in holdings.Files)
                if (!holders.Listed) AddUnlisted(key, holders, roots, filter, segments, table, visible);
        }
        if (filter.Wants(SegmentKind.SysV))
            AddSysV(holdings, filter, segments, table, visible, warnings);

        segments.RemoveAll(s => !filter.Accepts(s));
        var result = segments;
        SortByKindNamespaceName(result);
        var timings = new InventoryTimings(listingTime, procTime, clock.Elapsed - assembleStart);
        return new InventoryResult(result, roots, holdings.Problems, listing.Ignored, warnings, holdings.ProcessCount, clock.Elapsed) { Timings = timings, Visibility = visible };
    }

    private ShmSegment FromFile(string name, byte[]? rawName, string path, string? ns, FileStatus st, IReadOnlyList<Holding> holders, ProcessTable table, ScanVisibility visible, bool deleted = false)
    {
        var kind = KindOf(name, deleted);
        var producer = _producers.Match(name, kind);
        int? pidHint = producer?.Pid;
        // A pid in a name is a pid of the creator's namespace: resolve it only for our own /dev/shm,
        // and only to a process that already existed when the file was made (pid reuse guard).
        string? creator = ns == null && pidHint is { } p ? CreatorName(table, p, st.Born ?? st.Changed) : null;
        return new ShmSegment
        {
            Name = name,
            RawName = rawName,
            Kind = kind,
            Path = path,
            Device = DeviceText(st.Device),
            Inode = st.Inode,
            SizeBytes = st.SizeBytes,
            ResidentBytes = st.AllocatedBytes,
            Owner = UserNames.Of(st.Uid),
            OwnerUid = st.Uid,
            Mode = Octal(st.Permissions),
            Modified = st.Modified,
            Accessed = st.Accessed,
            Changed = st.Changed,
            Created = st.Born,
            Producer = producer?.Producer,
            OwnerPidHint = pidHint,
            Creator = creator,
            Namespace = ns,
            Attachments = ToAttachments(holders, table),
            Visibility = visible,
        };
    }

    /// <summary>
    /// Kind, then namespace, then name (ordinal). The segments fall into a few (kind, namespace)
    /// groups; each group is sorted by name alone, so the large ones compare names only.
    /// </summary>
    private static void SortByKindNamespaceName(List<ShmSegment> segments) => segments.Sort(KindNamespaceNameOrder.Instance);

    /// <summary>By kind, then namespace (this host's own, null, first), then name: in place, without allocating.</summary>
    private sealed class KindNamespaceNameOrder : IComparer<ShmSegment>
    {
        public static readonly KindNamespaceNameOrder Instance = new();

        public int Compare(ShmSegment? a, ShmSegment? b)
        {
            int c = ((int)a!.Kind).CompareTo((int)b!.Kind);
            if (c != 0) return c;
            if (!ReferenceEquals(a.Namespace, b.Namespace))
            {
                c = string.CompareOrdinal(a.Namespace ?? "", b.Namespace ?? "");
                if (c != 0) return c;
            }
            return string.CompareOrdinal(a.Name, b.Name);
        }
    }

    private static SegmentKind KindOf(string name, bool deleted) =>
        deleted ? SegmentKind.Deleted : name.StartsWith("sem.", StringComparison.Ordinal) ? SegmentKind.Semaphore : SegmentKind.Posix;

    /// <summary>A file on a shm tmpfs that processes hold but the directory listing did not show.</summary>
    private void AddUnlisted(FileKey key, List<Holding> holders, List<ShmRoot> roots, SegmentFilter filter, List<ShmSegment> into, ProcessTable table, ScanVisibility visible)
    {
        var root = roots.Find(r => r.Device == key.Device);
        if (root == null) return;
        // An unlinked file keeps its old name in maps and fd links; a file the listing missed
        // (made since, or in a subdirectory) is named by reading one of those links now.
        string? seen = holders.Select(h => h.Path).FirstOrDefault(p => p != null)
            ?? holders.Select(h => h.StatPath(table.ProcRoot)).Select(p => p == null ? null : Posix.ReadLink(p)).FirstOrDefault(p => p != null);
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
        var seg = FromFile(name, null, path, root.Namespace, st, holders, table, visible, deleted);
        if (!statted) seg = seg with { Owner = null, OwnerUid = null, Mode = null, Modified = null, Accessed = null, Changed = null, Created = null };
        into.Add(seg);
    }

    private void AddSysV(ProcessHoldings holdings, SegmentFilter filter, List<ShmSegment> into, ProcessTable table, ScanVisibility visible, List<string> warnings)
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
            var changed = DateTimeOffset.FromUnixTimeSeconds(row.ChangeTime);
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
                Mode = Octal(row.Permissions & 0xFFF),
                Modified = changed,
                Accessed = row.AttachTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(Math.Max(row.AttachTime, row.DetachTime)) : null,
                Changed = changed,
                Producer = _producers.Match(name, SegmentKind.SysV)?.Producer,
                OwnerPidHint = row.CreatorPid > 0 ? row.CreatorPid : null,
                Creator = CreatorName(table, row.CreatorPid, changed),
                SysVKey = row.Key,
                SysVId = row.Id,
                CreatorPid = row.CreatorPid,
                LastPid = row.LastPid,
                AttachCount = row.AttachCount,
                Attachments = ToAttachments(holdings.HoldersOfSysV(row.Id), table),
                Visibility = visible,
            });
        }
    }

    private static string? CreatorName(ProcessTable table, int pid, DateTimeOffset made)
    {
        var p = table.Get(pid);
        if (p == null || !p.IsAlive) return null;
        return p.StartTime <= made.AddSeconds(1) ? p.Name : null;
    }

    private static IReadOnlyList<Attachment> ToAttachments(IReadOnlyList<Holding> holders, ProcessTable table)
    {
        if (holders.Count == 0) return Array.Empty<Attachment>();
        var list = new Attachment[holders.Count];
        int n = 0;
        for (int i = 0; i < holders.Count; i++)
        {
            var h = holders[i];
            var p = table.Get(h.Pid);
            if (p == null) continue; // exited since its maps were read
            list[n++] = new Attachment(h.Pid, p.Name, p.User, h.Via, h.MappedBytes, p.StartTicks);
        }
        if (n < list.Length) Array.Resize(ref list, n);
        if (n > 1) Array.Sort(list, static (a, b) => a.Pid != b.Pid ? a.Pid.CompareTo(b.Pid) : ((int)a.Via).CompareTo((int)b.Via));
        return list;
    }

    private static readonly string[] OctalModes = Enumerable.Range(0, 4096).Select(m => Convert.ToString(m, 8).PadLeft(4, '0')).ToArray();

    private static string Octal(uint mode) => OctalModes[mode & 0xFFF];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<DeviceId, string> _deviceText = new();

    private string DeviceText(DeviceId device) => _deviceText.GetOrAdd(device, static d => d.ToString());
}
