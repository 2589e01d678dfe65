namespace ShmTools.Core.Shm;

/// <summary>
/// Remembers the last key looked up and its value, in front of a slower lookup: a scan's files
/// nearly all share one device and a few owners. Safe from several threads (the pair is replaced
/// whole).
/// </summary>
internal sealed class LastLookup<TKey, TValue>(Func<TKey, TValue> lookup) where TKey : IEquatable<TKey>
{
    private sealed record Pair(TKey Key, TValue Value);

    private Pair? _last;

    public TValue Get(TKey key)
    {
        var last = _last;
        if (last != null && last.Key.Equals(key)) return last.Value;
        var value = lookup(key);
        _last = new Pair(key, value);
        return value;
    }
}
