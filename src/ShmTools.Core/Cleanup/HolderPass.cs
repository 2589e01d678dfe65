using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// One pass over /proc for a set of parked files: who maps them or holds a descriptor to them,
/// matched by (device, inode), so processes that opened a file under its old name are seen.
/// Processes that appear while the pass runs (children forked by a holder, which inherit its
/// descriptors and mappings) are read too, until no new ones appear. The cleaner's own lock
/// descriptors do not count as holders; any other hold by this process does. A copy of a lock
/// descriptor in another task (the kernel says it is that very open file: kcmp) is a hold as well,
/// and the one kind of hold the lease cannot see, as it is no other open file; it is told apart
/// only so that the removal can wait a moment for it to go (a child a host forked to start a
/// program holds copies of every descriptor until its exec).
/// </summary>
internal sealed class HolderPass
{
    private const int MaxRounds = 3;

    private HolderPass(Dictionary<FileKey, Holding> held, HashSet<FileKey> onlyCopies, string? doubt)
    {
        Held = held;
        OnlyCopies = onlyCopies;
        Doubt = doubt;
    }

    /// <summary>A holder of each held file (the first one found; one that is no copy of the lock where there is one).</summary>
    public IReadOnlyDictionary<FileKey, Holding> Held { get; }

    /// <summary>The held files whose every holder found holds only copies of the cleaner's lock descriptor.</summary>
    public IReadOnlySet<FileKey> OnlyCopies { get; }

    /// <summary>Why the pass cannot vouch that the others are unheld (unreadable processes), or null.</summary>
    public string? Doubt { get; }

    /// <param name="own">The cleaner's lock descriptor of each parked file.</param>
    /// <param name="procRoot">The /proc to read.</param>
    /// <param name="ignoreInvisible">Processes the caller declared harmless when they cannot be read.</param>
    public static HolderPass Run(IReadOnlyDictionary<FileKey, int> own, string procRoot, IReadOnlySet<int> ignoreInvisible)
    {
        var wanted = own.Keys.ToHashSet();
        var devices = wanted.Select(k => k.Device).ToHashSet();
        var table = new ProcessTable(procRoot);
        var scanner = new ProcessScanner(table, devices) { ReadThreadTables = true, NameHolders = false };
        int self = Environment.ProcessId;
        var held = new Dictionary<FileKey, Holding>();
        var copies = new Dictionary<FileKey, Holding>();
        var unreadable = new SortedSet<int>();
        var seen = new HashSet<int>();
        var pids = table.ListPids();
        for (int round = 0; pids.Count > 0 && round < MaxRounds; round++)
        {
            seen.UnionWith(pids);
            var found = scanner.Scan(pids);
            foreach (var key in wanted)
                foreach (var h in found.HoldersOf(key))
                {
                    if (h.Pid == self && h.Via == AttachmentKind.Fd) continue;
                    if (h.Via == AttachmentKind.Fd && FileTables.SameOpenFile(own[key], h.Tid ?? h.Pid, h.Fd)) copies.TryAdd(key, h);
                    else held.TryAdd(key, h);
                }
            foreach (var p in found.Problems)
                if (!ignoreInvisible.Contains(p.Pid)) unreadable.Add(p.Pid);
            pids = table.ListPids().Where(p => !seen.Contains(p)).ToList();
        }
        OwnDescriptors(procRoot, self, wanted, held);
        var onlyCopies = new HashSet<FileKey>();
        foreach (var (key, h) in copies)
            if (held.TryAdd(key, h)) onlyCopies.Add(key);
        string? doubt = unreadable.Count == 0 ? null
            : $"{unreadable.Count} process(es) could not be read ({string.Join(", ", unreadable.Take(5))}{(unreadable.Count > 5 ? ", ..." : "")}): a holder may be invisible";
        return new HolderPass(held, onlyCopies, doubt);
    }

    /// <summary>This process holds one descriptor per parked file (its lock); a second one is a real hold.</summary>
    private static void OwnDescriptors(string procRoot, int self, HashSet<FileKey> wanted, Dictionary<FileKey, Holding> held)
    {
        string fdDir = $"{procRoot}/{self}/fd";
        int dfd = Posix.OpenDirectory(fdDir);
        if (dfd < 0) return;
        try
        {
            var count = new Dictionary<FileKey, int>();
            Posix.ReadDirectory(dfd, (name, _, _) =>
            {
                if (Posix.StatAt(dfd, name, out var st, followLinks: true) != 0) return;
                var key = new FileKey(st.Device, st.Inode);
                if (!wanted.Contains(key)) return;
                count[key] = count.GetValueOrDefault(key) + 1;
            });
            foreach (var (key, n) in count)
                if (n > 1) held.TryAdd(key, new Holding(self, AttachmentKind.Fd, 0, 0, null));
        }
        finally
        {
            Posix.Close(dfd);
        }
    }
}
