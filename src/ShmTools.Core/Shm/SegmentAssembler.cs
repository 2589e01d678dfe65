using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Core.Shm;

/// <summary>
/// Makes <see cref="ShmSegment"/>s of what one scan found: a file's statx facts, its holders
/// from the /proc pass, the producer its name tells. Safe to use from several threads at once.
/// </summary>
internal sealed class SegmentAssembler(ProducerCatalog producers, ProcessTable table, ScanVisibility visible)
{
    private readonly LastLookup<DeviceId, string> _deviceText = new(DeviceText);
    private readonly LastLookup<uint, string> _userName = new(UserNames.Of);

    public ProcessTable Table => table;
    public ScanVisibility Visibility => visible;

    public static SegmentKind KindOf(string name, bool deleted) =>
        deleted ? SegmentKind.Deleted : name.StartsWith("sem.", StringComparison.Ordinal) ? SegmentKind.Semaphore : SegmentKind.Posix;

    public ProducerMatch? Producer(string name, SegmentKind kind) => producers.Match(name, kind);

    public ShmSegment FromFile(string name, byte[]? rawName, string path, string? ns, FileStatus st, IReadOnlyList<Holding> holders, bool deleted = false)
    {
        var kind = KindOf(name, deleted);
        var producer = producers.Match(name, kind);
        int? pidHint = producer?.Pid;
        // A pid in a name is a pid of the creator's namespace: resolve it only for our own /dev/shm,
        // and only to a process that already existed when the file was made (pid reuse guard).
        string? creator = ns == null && pidHint is { } p ? CreatorName(p, st.Born ?? st.Changed) : null;
        return new ShmSegment
        {
            Name = name,
            RawName = rawName,
            Kind = kind,
            Path = path,
            Device = _deviceText.Get(st.Device),
            Inode = st.Inode,
            SizeBytes = st.SizeBytes,
            ResidentBytes = st.AllocatedBytes,
            Owner = _userName.Get(st.Uid),
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
            Attachments = Attachments(holders),
            Visibility = visible,
        };
    }

    /// <summary>The name of the live process <paramref name="pid"/> when it started before <paramref name="made"/> (else null: gone, or a reused pid).</summary>
    public string? CreatorName(int pid, DateTimeOffset made)
    {
        var p = table.Get(pid);
        if (p == null || !p.IsAlive) return null;
        return p.StartTime <= made.AddSeconds(1) ? p.Name : null;
    }

    /// <summary>
    /// The holders as attachments, by pid then kind. A holder is named from its /proc entry as read
    /// right after its maps (by the pass); one already gone by then is left out. One that exits
    /// after that still shows: its holding was real when read, and its name, owner and start time
    /// are of that moment, not of a process given its pid since.
    /// </summary>
    public IReadOnlyList<Attachment> Attachments(IReadOnlyList<Holding> holders) => holders switch
    {
        { Count: 0 } => Array.Empty<Attachment>(),
        List<Holding> list => Attachments(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)),
        Holding[] array => Attachments(array.AsSpan()),
        _ => Attachments(holders.ToArray().AsSpan()),
    };

    /// <summary>
    /// The lists of one or two holdings, each made once a scan and shared by every segment held
    /// alike (the same processes, the same ways, the same mapped sizes): the many segments one
    /// job's workers make and map share one list, instead of each making its own.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<HolderPair, IReadOnlyList<Attachment>> _shared = new();

    /// <summary>One or two holdings in attachment order (pid, then kind); the second is empty (pid 0) for one.</summary>
    private readonly record struct HolderPair(int Pid, AttachmentKind Via, long Mapped, int Pid2, AttachmentKind Via2, long Mapped2);

    private IReadOnlyList<Attachment> Attachments(ReadOnlySpan<Holding> holders)
    {
        if (holders.Length is 1 or 2) return SharedAttachments(holders);
        var list = new Attachment[holders.Length];
        int n = 0;
        foreach (var h in holders)
        {
            var p = table.Get(h.Pid);
            if (p == null) continue;
            list[n++] = new Attachment(h.Pid, p.Name, p.User, h.Via, h.MappedBytes, p.StartTicks);
        }
        if (n < list.Length) Array.Resize(ref list, n);
        if (n > 1) Array.Sort(list, static (a, b) => a.Pid != b.Pid ? a.Pid.CompareTo(b.Pid) : ((int)a.Via).CompareTo((int)b.Via));
        return list;
    }

    /// <summary>A shared list is read-only (a script that changed one segment's would change them all).</summary>
    private IReadOnlyList<Attachment> SharedAttachments(ReadOnlySpan<Holding> holders)
    {
        var a = holders[0];
        var pa = table.Get(a.Pid);
        if (holders.Length == 1)
            return pa == null ? Array.Empty<Attachment>()
                : _shared.GetOrAdd(new HolderPair(a.Pid, a.Via, a.MappedBytes, 0, default, 0), static (k, p) => Array.AsReadOnly([Of(k.Pid, p, k.Via, k.Mapped)]), pa);
        var b = holders[1];
        var pb = table.Get(b.Pid);
        if (pa == null || pb == null) return pa == null && pb == null ? Array.Empty<Attachment>() : SharedAttachments(pa == null ? holders[1..] : holders[..1]);
        if (a.Pid > b.Pid || (a.Pid == b.Pid && a.Via > b.Via)) (a, b, pa, pb) = (b, a, pb, pa);
        return _shared.GetOrAdd(new HolderPair(a.Pid, a.Via, a.MappedBytes, b.Pid, b.Via, b.MappedBytes),
            static (k, p) => Array.AsReadOnly([Of(k.Pid, p.A, k.Via, k.Mapped), Of(k.Pid2, p.B, k.Via2, k.Mapped2)]), (A: pa, B: pb));
    }

    private static Attachment Of(int pid, ProcessInfo p, AttachmentKind via, long mapped) => new(pid, p.Name, p.User, via, mapped, p.StartTicks);

    private static readonly string[] OctalModes = Enumerable.Range(0, 4096).Select(m => Convert.ToString(m, 8).PadLeft(4, '0')).ToArray();

    public static string Octal(uint mode) => OctalModes[mode & 0xFFF];

    private static string DeviceText(DeviceId device) => device.ToString();
}
