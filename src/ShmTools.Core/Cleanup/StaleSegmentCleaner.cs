using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// Removes what is stale and never anything live: selects by verdict and policy, re-checks each
/// segment from scratch just before removal (a fresh /proc pass, fresh probes, the same device
/// and inode), removes through <see cref="SegmentRemover"/>, and records every decision.
/// </summary>
public sealed class StaleSegmentCleaner : IDisposable
{
    private readonly CleanupOptions _options;
    private readonly InventorySources _sources;
    private readonly List<RemovalRecord> _records = new();
    private readonly AuditLog? _log;
    private readonly uint _euid = Posix.EffectiveUserId;

    public StaleSegmentCleaner(CleanupOptions options, InventorySources? sources = null)
    {
        _options = options;
        _sources = sources ?? InventorySources.System;
        if (options.LogPath != null) _log = new AuditLog(options.LogPath);
    }

    public CleanupReport Report => new(_options.DryRun, _records.ToList());

    /// <summary>Judges segments (one batch of probes) and splits them into candidates and kept ones.</summary>
    public IReadOnlyList<LivenessResult> Select(IReadOnlyList<ShmSegment> segments) =>
        Select(new LivenessChecker(_options.Liveness, _sources.ProcRoot).Check(segments));

    /// <summary>Returns the results that policy allows to remove; records the others as kept.</summary>
    public IReadOnlyList<LivenessResult> Select(IReadOnlyList<LivenessResult> results)
    {
        var candidates = new List<LivenessResult>();
        foreach (var r in results)
        {
            if (Eligible(r) is { } why) Record(r, CleanupAction.Kept, why);
            else candidates.Add(r);
        }
        return candidates;
    }

    /// <summary>Why policy keeps this segment, or null when it may be removed.</summary>
    public string? Eligible(LivenessResult r)
    {
        var s = r.Segment;
        switch (r.Verdict)
        {
            case Verdict.Live:
                return "live: " + r.Reason;
            case Verdict.Unknown:
                return "unknown: " + r.Reason;
            case Verdict.Orphaned when !_options.IncludeOrphaned || _options.OlderThan == null:
                return "orphaned: removed only with IncludeOrphaned and OlderThan";
        }
        if (s.Kind == SegmentKind.Deleted) return "already unlinked: freed when its holders exit";
        if (_options.OlderThan is { } min && (r.Idle == null || r.Idle < min))
            return $"touched {(r.Idle is { } i ? LivenessChecker.Format(i) + " ago" : "at an unknown time")}, more recently than {LivenessChecker.Format(min)}";
        if (s.OwnerUid != _euid && !_options.AllUsers)
            return $"owned by {s.Owner ?? "?"}: other users' segments only with AllUsers";
        return null;
    }

    /// <summary>Records a candidate the user declined (or a -WhatIf preview) without touching it.</summary>
    public RemovalRecord Decline(LivenessResult r, bool preview) =>
        Record(r, preview ? CleanupAction.WouldRemove : CleanupAction.Kept, preview ? r.Reason : "not confirmed");

    /// <summary>Re-checks the approved candidates from scratch and removes those still eligible.</summary>
    public IReadOnlyList<RemovalRecord> Remove(IReadOnlyList<LivenessResult> approved)
    {
        var done = new List<RemovalRecord>();
        if (approved.Count == 0) return done;
        if (_options.DryRun)
        {
            foreach (var r in approved) done.Add(Record(r, CleanupAction.WouldRemove, r.Reason));
            return done;
        }
        var fresh = new ShmInventory(_sources).Scan(new ShmQuery
        {
            ExactNames = approved.Select(r => r.Name).ToHashSet(StringComparer.Ordinal),
            AllNamespaces = approved.Any(r => r.Segment.Namespace != null),
        });
        var byPlace = fresh.Segments.GroupBy(SegmentIdentity.Place).ToDictionary(g => g.Key, g => g.First());
        var matched = new List<(LivenessResult Old, ShmSegment Now)>();
        foreach (var r in approved)
        {
            if (!byPlace.TryGetValue(SegmentIdentity.Place(r.Segment), out var now))
                done.Add(Record(r, CleanupAction.Kept, "no longer exists"));
            else if (!SegmentIdentity.Same(r.Segment, now))
                done.Add(Record(r, CleanupAction.Kept, "was replaced by another segment since it was checked"));
            else
                matched.Add((r, now));
        }
        var recheck = new LivenessChecker(_options.Liveness, _sources.ProcRoot).Check(matched.Select(m => m.Now).ToList());
        for (int i = 0; i < matched.Count; i++)
        {
            var now = recheck[i];
            if (Eligible(now) is { } why)
            {
                done.Add(Record(now, CleanupAction.Kept, "re-check before removal: " + why));
                continue;
            }
            string? notRemoved;
            long freed;
            bool failed;
            if (now.Kind == SegmentKind.SysV) notRemoved = SegmentRemover.RemoveSysV(now.Segment, out freed, out failed);
            else notRemoved = SegmentRemover.RemovePosix(now.Segment, out freed, out failed);
            done.Add(notRemoved == null
                ? Record(now, CleanupAction.Removed, now.Reason, freed)
                : Record(now, failed ? CleanupAction.Failed : CleanupAction.Kept, failed ? now.Reason : "at removal: " + notRemoved, 0, failed ? notRemoved : null));
        }
        return done;
    }

    /// <summary>Judge, select and remove without per-item confirmation (the CLI and scripts).</summary>
    public CleanupReport Run(IReadOnlyList<ShmSegment> segments)
    {
        var candidates = Select(segments);
        Remove(candidates);
        return Report;
    }

    private RemovalRecord Record(LivenessResult r, CleanupAction action, string reason, long freed = 0, string? error = null)
    {
        var rec = new RemovalRecord
        {
            Name = r.Name, DisplayName = r.Segment.DisplayName, Kind = r.Kind, Path = r.Path, DisplayPath = r.Segment.DisplayPath, Action = action, Verdict = r.Verdict,
            Reason = reason, BytesFreed = action == CleanupAction.WouldRemove ? r.Segment.ResidentBytes : freed, Error = error,
        };
        _records.Add(rec);
        _log?.Write(rec, _options.DryRun || action == CleanupAction.WouldRemove);
        return rec;
    }

    public void Dispose() => _log?.Dispose();
}
