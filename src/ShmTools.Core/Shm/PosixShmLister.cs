using System.Text;
using System.Text.Unicode;
using ShmTools.Core.Native;
using ShmTools.Core.Text;
using ShmTools.Core.Threading;

namespace ShmTools.Core.Shm;

/// <summary>A regular file found in a /dev/shm root, with its statx facts.</summary>
/// <param name="Root">The /dev/shm it was listed in.</param>
/// <param name="Name">The entry's name as text.</param>
/// <param name="Status">Its statx facts, read relative to the open directory without following links.</param>
/// <param name="RawName">The entry's bytes when they are not valid UTF-8 (<see cref="Name"/> then shows U+FFFD for them).</param>
public sealed record PosixEntry(ShmRoot Root, string Name, FileStatus Status, byte[]? RawName)
{
    /// <summary>Posix or Semaphore, by the name (the sort key of the listing, worked out once).</summary>
    public SegmentKind Kind { get; } = SegmentAssembler.KindOf(Name, deleted: false);
}

/// <summary>What the listing of the /dev/shm roots found.</summary>
/// <param name="expected">A capacity hint (the last scan's count).</param>
/// <param name="lastOrder">The order the last scan's listing was put in (<see cref="Order"/>): when the directories read alike, it is tried first.</param>
public sealed class PosixListing(int expected = 0, int[]? lastOrder = null)
{
    /// <summary>The files asked for; sized for <c>expected</c> entries (the last scan's count), so a large listing grows its array once at most.</summary>
    public List<PosixEntry> Entries { get; } = new(expected);
    public List<IgnoredEntry> Ignored { get; } = new();
    public List<string> Warnings { get; } = new();

    /// <summary>
    /// The files the directories showed that the query did not ask for, by (root device, inode
    /// from getdents): a file held by a process is "unlisted" only when it is neither among these
    /// nor among <see cref="Entries"/>. Empty when every name is asked for.
    /// </summary>
    public List<Processes.FileKey> Passed { get; } = new();

    /// <summary>
    /// Puts <see cref="Entries"/> in inventory order and keeps one entry per name and root: a
    /// directory that changes while it is read (a file renamed away and back, as a cleanup's
    /// quarantine does to a segment it finds held) may show a name twice, and a segment listed
    /// twice would be judged and reported twice. Of two readings the one whose inode changed last
    /// is kept (a rename or a re-creation changes it). Names that differ only in bytes that are
    /// not UTF-8 stay apart.
    /// </summary>
    public void SortAndDropRepeats()
    {
        var list = Entries;
        Order = Sort(list, lastOrder);
        int kept = 0;
        for (int i = 0; i < list.Count; i++)
        {
            if (kept > 0 && SameName(list[kept - 1], list[i]))
            {
                if (list[i].Status.Changed >= list[kept - 1].Status.Changed) list[kept - 1] = list[i];
            }
            else list[kept++] = list[i];
        }
        list.RemoveRange(kept, list.Count - kept);
    }

    /// <summary>Called every 256 directory entries read (a parallel scan's threads check where they run).</summary>
    internal Action? Progress { get; init; }

    /// <summary>
    /// Where <see cref="SortAndDropRepeats"/> put each entry: <c>Order[k]</c> is the index, in the
    /// order the directories were read, of the entry it put at k (before repeats were dropped).
    /// </summary>
    public int[]? Order { get; private set; }

    /// <summary>
    /// Sorts by <see cref="SegmentOrder"/>, then by raw bytes: names shown alike (U+FFFD) sort by
    /// their bytes, so readings of one name come together. The few (kind, namespace) groups are
    /// put in order first, then each group's names by <see cref="OrdinalOrder"/>. Returns the order
    /// used (see <see cref="Order"/>).
    /// </summary>
    /// <remarks>
    /// A directory nobody changed reads in the same order from scan to scan, so the last scan's
    /// order (<paramref name="last"/>) is tried first: it is taken only when every entry it puts
    /// next to another is in order with it, which is what a sort would give. Otherwise, and on a
    /// host whose files come and go, the entries are sorted.
    /// </remarks>
    internal static int[] Sort(List<PosixEntry> list, int[]? last = null)
    {
        int n = list.Count;
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
        var read = ScanBuffers<PosixEntry>.Pool.Rent(n);
        entries.CopyTo(read);
        try
        {
            if (last != null && last.Length == n && TryOrder(read, last, entries)) return last;
            var order = SortedOrder(read, n);
            for (int k = 0; k < n; k++) entries[k] = read[order[k]];
            return order;
        }
        finally
        {
            ScanBuffers<PosixEntry>.Pool.Return(read, clearArray: true);
        }
    }

    /// <summary>Puts <paramref name="read"/> in <paramref name="order"/> into <paramref name="into"/>; true when that takes each entry once and is sorted.</summary>
    private static bool TryOrder(PosixEntry[] read, int[] order, Span<PosixEntry> into)
    {
        var taken = ScanBuffers<ulong>.Pool.Rent((into.Length + 63) / 64);
        try
        {
            Array.Clear(taken, 0, (into.Length + 63) / 64);
            for (int k = 0; k < into.Length; k++)
            {
                int i = order[k];
                if ((uint)i >= (uint)into.Length || (taken[i >> 6] & (1UL << i)) != 0) return false;
                taken[i >> 6] |= 1UL << i;
                into[k] = read[i];
                if (k > 0 && Compare(into[k - 1], into[k]) > 0) return false;
            }
            return true;
        }
        finally
        {
            ScanBuffers<ulong>.Pool.Return(taken);
        }
    }

    /// <summary>The full order: <see cref="SegmentOrder"/>, then raw bytes.</summary>
    private static int Compare(PosixEntry a, PosixEntry b) => SegmentOrder.Compare(a, b) is var c and not 0 ? c : RawOrder.Instance.Compare(a, b);

    /// <summary>The indices of read[0, n) in sorted order.</summary>
    private static int[] SortedOrder(PosixEntry[] read, int n)
    {
        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = i;
        if (n < 2) return result;
        var entries = read.AsSpan(0, n);
        var groupOf = ScanBuffers<int>.Pool.Rent(n);
        var byGroup = ScanBuffers<int>.Pool.Rent(n);
        var order = ScanBuffers<int>.Pool.Rent(n);
        try
        {
            // The (kind, namespace) groups, numbered as met, then ranked in inventory order.
            var groups = new Dictionary<(SegmentKind Kind, string? Namespace), int>();
            var keys = new List<(SegmentKind Kind, string? Namespace)>();
            for (int i = 0; i < n; i++)
            {
                var e = entries[i];
                // A root's entries come together: the group of the one before is nearly always this one's.
                if (i > 0 && ReferenceEquals(e.Root, entries[i - 1].Root) && e.Kind == entries[i - 1].Kind) groupOf[i] = groupOf[i - 1];
                else if (!groups.TryGetValue((e.Kind, e.Root.Namespace), out groupOf[i]))
                {
                    groups.Add((e.Kind, e.Root.Namespace), groupOf[i] = keys.Count);
                    keys.Add((e.Kind, e.Root.Namespace));
                }
            }
            var byRank = Enumerable.Range(0, keys.Count).ToArray();
            Array.Sort(byRank, (a, b) => SegmentOrder.Compare(keys[a].Kind, keys[a].Namespace, "", keys[b].Kind, keys[b].Namespace, ""));
            // Each group's entries together, the groups in rank order (a counting sort).
            var starts = new int[keys.Count + 1];
            var rank = new int[keys.Count];
            for (int r = 0; r < byRank.Length; r++) rank[byRank[r]] = r;
            for (int i = 0; i < n; i++) starts[rank[groupOf[i]] + 1]++;
            for (int r = 0; r < keys.Count; r++) starts[r + 1] += starts[r];
            var next = starts.ToArray();
            for (int i = 0; i < n; i++) byGroup[next[rank[groupOf[i]]]++] = i;
            for (int r = 0; r < keys.Count; r++)
            {
                int from = starts[r], count = starts[r + 1] - from;
                OrdinalOrder.Order(count, p => read[byGroup[from + p]].Name, order);
                for (int k = 0; k < count; k++) result[from + k] = byGroup[from + order[k]];
                // Equal names (U+FFFD for different bytes, or a name read twice) sort by their bytes.
                for (int i = from; i < from + count;)
                {
                    int j = i + 1;
                    while (j < from + count && read[result[j]].Name == read[result[i]].Name) j++;
                    if (j - i > 1) result.AsSpan(i, j - i).Sort((x, y) => RawOrder.Instance.Compare(read[x], read[y]));
                    i = j;
                }
            }
            return result;
        }
        finally
        {
            ScanBuffers<int>.Pool.Return(groupOf);
            ScanBuffers<int>.Pool.Return(order);
            ScanBuffers<int>.Pool.Return(byGroup);
        }
    }

    private sealed class RawOrder : IComparer<PosixEntry>
    {
        public static readonly RawOrder Instance = new();

        public int Compare(PosixEntry? a, PosixEntry? b) => a!.RawName.AsSpan().SequenceCompareTo(b!.RawName);
    }

    private static bool SameName(PosixEntry a, PosixEntry b) =>
        ReferenceEquals(a.Root, b.Root) && a.Name == b.Name
        && (a.RawName == null ? b.RawName == null : b.RawName != null && a.RawName.AsSpan().SequenceEqual(b.RawName));
}

/// <summary>
/// Lists the regular files of a /dev/shm root: one getdents pass and one statx per entry, relative
/// to the open directory and never following links. Anything else is reported, not followed.
/// </summary>
public static class PosixShmLister
{
    public static void List(ShmRoot root, SegmentFilter filter, PosixListing into)
    {
        var ignored = into.Ignored;
        var warnings = into.Warnings;
        int dfd = Posix.OpenDirectoryNoLinks(root.Directory);
        if (dfd < 0)
        {
            warnings.Add($"{root.Directory}: {Errors.Describe(-dfd)}; no POSIX segments listed from it.");
            return;
        }
        int read = 0;
        try
        {
            int err = Posix.ReadDirectory(dfd, (nameZ, type, ino) =>
            {
                if ((++read & 255) == 0) into.Progress?.Invoke();
                var raw = nameZ[..^1];
                string name = Encoding.UTF8.GetString(raw);
                byte[]? rawName = Utf8.IsValid(raw) ? null : raw.ToArray();
                // A name that is not UTF-8 is matched by its escaped form only (a\xff), never by a
                // lossy decoding, which would make a\xff and a\xfe the same name.
                if (!filter.MatchesName(rawName == null ? name : Text.TerminalText.Name(raw)))
                {
                    if (type is UnixFileType.RegularFile or UnixFileType.Unknown) into.Passed.Add(new Processes.FileKey(root.Device, ino));
                    return;
                }
                if (type is not (UnixFileType.RegularFile or UnixFileType.Unknown))
                {
                    ignored.Add(new IgnoredEntry(root.Directory + "/" + name, type));
                    return;
                }
                int e = Posix.StatAt(dfd, nameZ, out var st);
                if (e != 0) return; // removed since the directory was read
                if (st.Type != UnixFileType.RegularFile)
                {
                    ignored.Add(new IgnoredEntry(root.Directory + "/" + name, st.Type));
                    return;
                }
                into.Entries.Add(new PosixEntry(root, name, st, rawName));
            });
            if (err != 0) warnings.Add($"{root.Directory}: reading the directory failed: {Errors.Describe(err)}; the list may be incomplete.");
        }
        finally
        {
            Posix.Close(dfd);
        }
    }
}
