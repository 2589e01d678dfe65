using System.Globalization;
using ShmTools.Core.Text;

namespace ShmTools.Core.Shm;

/// <summary>
/// A <see cref="ShmQuery"/> compiled once for a scan: which sources to read (by kind), which names
/// to keep (wildcards, and exact names looked up in a set), and what every found segment must be
/// (kind, size, owner, holder pid). Every source of the inventory asks the same filter.
/// </summary>
public sealed class SegmentFilter
{
    private readonly HashSet<SegmentKind>? _kinds;
    private readonly List<GlobPattern> _patterns;
    private readonly IReadOnlySet<string> _exact;
    private readonly long _minimumSize;
    private readonly IReadOnlyList<string> _owners;
    private readonly HashSet<int>? _pids;

    public SegmentFilter(ShmQuery query)
    {
        _kinds = query.Kinds.Count > 0 ? query.Kinds.ToHashSet() : null;
        _patterns = query.Names.Select(n => new GlobPattern(n)).ToList();
        _exact = query.ExactNames;
        _minimumSize = query.MinimumSize;
        _owners = query.Owners;
        _pids = query.ProcessIds.Count > 0 ? query.ProcessIds.ToHashSet() : null;
        AcceptsAll = _kinds == null && _minimumSize <= 0 && _owners.Count == 0 && _pids == null;
    }

    /// <summary>True when the query asks for every segment whatever its kind, size, owner and holders (names aside).</summary>
    public bool AcceptsAll { get; }

    public bool Wants(SegmentKind kind) => _kinds == null || _kinds.Contains(kind);

    /// <summary>The directory listing is needed: POSIX segments or semaphores are asked for.</summary>
    public bool WantsListing => Wants(SegmentKind.Posix) || Wants(SegmentKind.Semaphore);

    /// <summary>Files that holders keep but the listing did not show (unlinked, or made since) are asked for.</summary>
    public bool WantsUnlisted => Wants(SegmentKind.Deleted) || Wants(SegmentKind.Posix);

    public bool NamesEverything => _patterns.Count == 0 && _exact.Count == 0;

    /// <summary>True when <paramref name="name"/> is asked for (always, when no name was given).</summary>
    public bool MatchesName(string name)
    {
        if (NamesEverything || _exact.Contains(name)) return true;
        foreach (var p in _patterns)
            if (p.IsMatch(name)) return true;
        return false;
    }

    /// <summary>What a found segment must be, beyond its name: kind, size, owner, a holder among the pids.</summary>
    public bool Accepts(ShmSegment s) => Accepts(s.Kind, s.SizeBytes, s.OwnerUid, s.Owner, s.Attachments, static a => a.Pid);

    /// <summary>
    /// The same test on a file's facts before a segment is made of it, so a narrow query does not
    /// pay for assembling what it then drops.
    /// </summary>
    public bool Accepts<THolder>(SegmentKind kind, long size, uint? uid, string? owner, IReadOnlyList<THolder> holders, Func<THolder, int> pidOf)
    {
        if (!Wants(kind) || size < _minimumSize) return false;
        if (_owners.Count > 0)
        {
            owner ??= uid is { } id ? Processes.UserNames.Of(id) : null;
            string? uidText = uid?.ToString(CultureInfo.InvariantCulture);
            bool any = false;
            foreach (var o in _owners)
                if (o == owner || o == uidText) { any = true; break; }
            if (!any) return false;
        }
        if (_pids == null) return true;
        for (int i = 0; i < holders.Count; i++)
            if (_pids.Contains(pidOf(holders[i]))) return true;
        return false;
    }
}
