using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ShmTools.Core.Processes;

/// <summary>
/// The holders of each file a /proc pass found, by file. Kept in 64 small dictionaries chosen by
/// the key's hash rather than one large one: at 10,000 to 100,000 files a single table's arrays
/// land on the large object heap on every scan, and each of those allocations brings a full
/// collection closer; small ones stay in the young generation.
/// </summary>
public sealed class HoldingMap : IReadOnlyDictionary<FileKey, HolderList>
{
    private const int Shards = 64;
    private readonly Dictionary<FileKey, HolderList>[] _shards = new Dictionary<FileKey, HolderList>[Shards];

    /// <summary>An empty map sized for about <paramref name="expected"/> files.</summary>
    public HoldingMap(int expected = 0)
    {
        int perShard = expected <= 0 ? 0 : expected / Shards + expected / (Shards * 8) + 1;
        for (int i = 0; i < Shards; i++) _shards[i] = new Dictionary<FileKey, HolderList>(perShard);
    }

    private Dictionary<FileKey, HolderList> ShardOf(FileKey key) => _shards[(key.GetHashCode() & int.MaxValue) % Shards];

    /// <summary>Adds one holding of <paramref name="key"/>.</summary>
    public void Add(FileKey key, Holding holding) => HoldersOf(key).Add(holding);

    /// <summary>The holdings of <paramref name="key"/> so far, to add to (a new, empty list for a key not seen yet).</summary>
    public HolderList HoldersOf(FileKey key)
    {
        ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ShardOf(key), key, out _);
        return list ??= new HolderList();
    }

    /// <summary>Moves every holding of <paramref name="other"/> into this map.</summary>
    public void Merge(HoldingMap other)
    {
        for (int i = 0; i < Shards; i++)
        {
            var into = _shards[i];
            foreach (var (k, v) in other._shards[i])
            {
                if (into.TryGetValue(k, out var existing)) existing.AddRange(v);
                else into[k] = v;
            }
        }
    }

    /// <summary>The held files not marked <see cref="HolderList.Listed"/>.</summary>
    public List<(FileKey Key, HolderList Holders)> NotListed()
    {
        var found = new List<(FileKey, HolderList)>();
        foreach (var shard in _shards)
            foreach (var (key, holders) in shard)
                if (!holders.Listed) found.Add((key, holders));
        return found;
    }

    public HolderList this[FileKey key] => ShardOf(key)[key];

    public bool TryGetValue(FileKey key, [MaybeNullWhen(false)] out HolderList value) => ShardOf(key).TryGetValue(key, out value);

    public bool ContainsKey(FileKey key) => ShardOf(key).ContainsKey(key);

    public int Count
    {
        get
        {
            int n = 0;
            foreach (var s in _shards) n += s.Count;
            return n;
        }
    }

    public IEnumerable<FileKey> Keys => _shards.SelectMany(s => s.Keys);

    public IEnumerable<HolderList> Values => _shards.SelectMany(s => s.Values);

    public IEnumerator<KeyValuePair<FileKey, HolderList>> GetEnumerator()
    {
        foreach (var s in _shards)
            foreach (var kv in s) yield return kv;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The holdings of one file, and whether the directory listing saw the file under a name.</summary>
public sealed class HolderList : List<Holding>
{
    public HolderList() : base(2) { }

    private int _listed;

    /// <summary>Set by the inventory for files it found in a listing (the rest are unlinked but held).</summary>
    public bool Listed
    {
        get => Volatile.Read(ref _listed) != 0;
        set => Volatile.Write(ref _listed, value ? 1 : 0);
    }

    /// <summary>Marks it listed; true for the one call (of any thread) that did, so marks can be counted exactly.</summary>
    public bool MarkListed() => _listed == 0 && Interlocked.Exchange(ref _listed, 1) == 0;
}
