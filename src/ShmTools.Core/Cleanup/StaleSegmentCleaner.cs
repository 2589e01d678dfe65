using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// Removes what is stale and never anything live. <see cref="Run"/> drives the whole cleanup:
/// judges (unless given results), keeps what policy keeps, asks the approver about each
/// candidate (approve, decline, preview), removes the approved through the removal protocol
/// (<see cref="PosixSegmentRemoval"/>; SysV segments by a fresh check and IPC_RMID), writes the
/// audit log ahead of every removal, and hands every decision to the emitter as it is made.
/// </summary>
public sealed class StaleSegmentCleaner : IDisposable
{
    /// <summary>How many segments are parked at once: bounds descriptors held and how long names are away.</summary>
    internal const int BatchSize = 512;

    private readonly CleanupOptions _options;
    private readonly InventorySources _sources;
    private readonly AuditLog? _log;
    private readonly uint _euid = Posix.EffectiveUserId;

    /// <summary>Validates the options and opens the audit log (both throw before anything is judged).</summary>
    public StaleSegmentCleaner(CleanupOptions options, InventorySources? sources = null)
    {
        options.Validate();
        _options = options;
        _sources = sources ?? InventorySources.System;
        if (options.LogPath != null) _log = new AuditLog(options.LogPath);
    }

    /// <summary>
    /// Told what a person running the cleanup should know as it happens (waiting for another
    /// check or cleanup of the same directory, going on without its lock).
    /// </summary>
    public Action<string>? Notify { get; init; }

    /// <summary>Given the inventory of a <see cref="CleanupInput.Scan"/> input once it is made (its warnings are the caller's to show).</summary>
    public Action<InventoryResult>? Scanned { get; init; }

    /// <summary>Runs between the quarantine and the holder pass of each batch (tests race the protocol with it).</summary>
    internal Action<IReadOnlyList<(string Directory, string Name, string Quarantine)>>? AfterQuarantine { get; init; }

    /// <summary>
    /// The cleanup. <paramref name="emit"/> receives every record as it is decided; the report
    /// holds them all. Throws <see cref="AuditLogUnavailableException"/> when the log cannot be
    /// written: what is recorded as intended is then all that may have been removed.
    /// </summary>
    public CleanupReport Run(CleanupInput input, CleanupApprover approver, Action<RemovalRecord>? emit = null, CancellationToken cancel = default)
    {
        var records = new List<RemovalRecord>();
        int emitted = 0;
        // Records reach the audit log as they are decided, and the caller once a step is complete:
        // an emitter that throws (a stopped pipeline) never leaves a batch half done or unlogged.
        void Emit()
        {
            for (; emitted < records.Count; emitted++) emit?.Invoke(records[emitted]);
        }
        void Record(LivenessResult r, CleanupAction action, string reason, long freed = 0, string? error = null, string? quarantine = null)
        {
            var rec = new RemovalRecord
            {
                Name = r.Name, DisplayName = r.Segment.DisplayName, Kind = r.Kind, Path = r.Path, DisplayPath = r.Segment.DisplayPath, Action = action, Verdict = r.Verdict, Reason = reason,
                BytesFreed = action == CleanupAction.WouldRemove ? r.Segment.ResidentBytes : freed, Error = error, QuarantineName = quarantine,
            };
            _log?.Write(rec);
            records.Add(rec);
        }

        // Without a person to ask, one turn from the scan (or judging) to the removal: no other
        // check or cleanup comes in between.
        var wait = _options.Liveness.LockWait;
        using var wholeRun = approver.AsksPerson ? null
            : input.Query != null ? TurnLock.TakeDirectories([ShmRootDiscovery.OwnDirectory(_sources.ShmDirectory)], "cleaning", wait, Notify, cancel)
            : TurnLock.Take(input.Judged?.Select(r => r.Segment) ?? input.Segments ?? [], "cleaning", wait, Notify, cancel);
        var segments = input.Segments ?? [];
        if (input.Query is { } query)
        {
            var inventory = ShmInventory.Of(_sources).Scan(query with { TurnWait = wait, Notify = query.Notify ?? Notify }, cancel);
            Scanned?.Invoke(inventory);
            segments = inventory.Segments;
        }
        var judged = input.Judged ?? new LivenessChecker(_options.Liveness, _sources.ProcRoot) { Notify = Notify }.Check(segments, cancel);
        var candidates = new List<LivenessResult>();
        foreach (var r in judged)
        {
            if (QuarantineNames.IsQuarantined(r.Name) && r.Kind == SegmentKind.Posix)
            {
                // Another user's is theirs to deal with, as any of their segments is: any user can
                // make a file of that name, and this run was not asked to act on other users' files.
                if (r.Segment.OwnerUid != _euid && !_options.AllUsers)
                    Record(r, CleanupAction.Kept, $"owned by {r.Segment.Owner ?? "?"}: a quarantine name of another user's, put back only with AllUsers");
                else PutBackParked(r, approver, Record);
            }
            else if (Eligible(r) is { } why) Record(r, CleanupAction.Kept, why);
            else candidates.Add(r);
            Emit();
        }
        _log?.Commit();

        var approved = new List<LivenessResult>();
        int previewed = 0;
        foreach (var c in candidates)
        {
            cancel.ThrowIfCancellationRequested();
            switch (approver.Answer(new CleanupCandidate(c)))
            {
                case Approval.Approve:
                    approved.Add(c);
                    break;
                case Approval.Preview:
                    previewed++;
                    Record(c, CleanupAction.WouldRemove, c.Reason);
                    break;
                default:
                    Record(c, CleanupAction.Kept, "not confirmed");
                    break;
            }
            Emit();
        }
        _log?.Commit();

        var removal = new PosixSegmentRemoval(_options.Liveness, _sources.ProcRoot, _log) { AfterQuarantine = AfterQuarantine };
        var posix = approved.Where(r => r.Kind != SegmentKind.SysV).ToList();
        var sysv = approved.Where(r => r.Kind == SegmentKind.SysV).ToList();
        if (approved.Count > 0)
        {
            using (TurnLock.Take(posix.Select(r => r.Segment), "removing", wait, Notify, cancel))
            {
                int batchSize = BatchSizeFor(Posix.OpenFileLimit(), Posix.OpenFileCount());
                foreach (var group in posix.GroupBy(r => Directory(r.Path)))
                {
                    foreach (var batch in group.Chunk(batchSize))
                    {
                        cancel.ThrowIfCancellationRequested();
                        removal.Remove(group.Key, batch, Record);
                        _log?.Commit();
                        Emit();
                    }
                }
                if (sysv.Count > 0) RemoveSysV(sysv, Record);
            }
        }
        _log?.Commit();
        Emit();

        bool dryRun = approver.PreviewsOnly || (approved.Count == 0 && previewed > 0);
        return new CleanupReport(dryRun, records);
    }

    /// <summary>
    /// A segment left under a quarantine name (its cleanup was killed, or its name was re-created
    /// while it was parked) goes back under its own name when that name is free and the approver
    /// agrees: renamed without replacing, never removed here; the next run judges it. When the
    /// name is taken or unknown it stays, reported as stranded.
    /// </summary>
    private static void PutBackParked(LivenessResult r, CleanupApprover approver, PosixSegmentRemoval.Outcome record)
    {
        const string Left = "left under a quarantine name by an earlier cleanup";
        string? original = QuarantineNames.OriginalOf(r.Name);
        byte[] entry = r.Segment.EntryName(); // NUL-terminated
        if (NameCount(r.Path, entry) is > 1 and var names)
        {
            // A cleanup parks only a file with one name (a second would keep it alive), so no
            // cleanup left this one: a hard link someone made under a name of that form.
            record(r, CleanupAction.Kept, $"has {names} names, and a cleanup parks only files with one: not left by a cleanup, so left as it is", quarantine: r.Name);
            return;
        }
        int head = QuarantineNames.Prefix.Length + 13; // prefix, 12 random characters and a dash
        if (original == null || entry.Length <= head + 1)
        {
            record(r, CleanupAction.Stranded, Left, error: "its quarantine name does not carry its original name (it was too long to, or the file was not parked by a cleanup): rename it back or remove it by hand", quarantine: r.Name);
            return;
        }
        string shown = Text.TerminalText.Name(original);
        var answer = approver.Answer(CleanupCandidate.PutBack(r, original));
        if (answer != Approval.Approve)
        {
            record(r, CleanupAction.Stranded, Left, error: answer == Approval.Preview
                ? $"would be put back under its name {shown} if that is free"
                : $"not put back under its name {shown}: not confirmed", quarantine: r.Name);
            return;
        }
        try
        {
            using var dir = DirectoryHandle.OpenParent(r.Path, out _);
            if (dir.Stat(entry, out var st) != 0 || st.Inode != r.Segment.Inode)
            {
                record(r, CleanupAction.Kept, "at put-back: no longer the file that was listed", quarantine: r.Name);
                return;
            }
            int e = dir.RenameNoReplace(entry, entry.AsSpan(head));
            if (e == 0)
                record(r, CleanupAction.Kept, $"put back under its name {shown} (left parked by an interrupted cleanup); the next run judges it", quarantine: r.Name);
            else if (e == LibC.EEXIST)
                record(r, CleanupAction.Stranded, Left, error: $"its name {shown} was re-created meanwhile: rename it back or remove it by hand", quarantine: r.Name);
            else if (Posix.IsGone(e))
                record(r, CleanupAction.Kept, "at put-back: no longer exists", quarantine: r.Name);
            else
                record(r, CleanupAction.Failed, Left, error: $"cannot put it back under its name {shown}: {Errors.Describe(e)}", quarantine: r.Name);
        }
        catch (IOException ex)
        {
            record(r, CleanupAction.Failed, Left, error: ex.Message, quarantine: r.Name);
        }
    }

    /// <summary>How many names the file listed as <paramref name="path"/> has now, or null when it cannot be told.</summary>
    private static uint? NameCount(string path, byte[] entry)
    {
        try
        {
            using var dir = DirectoryHandle.OpenParent(path, out _);
            return dir.Stat(entry, out var st) == 0 ? st.LinkCount : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Why policy keeps this segment, or null when it may be removed.</summary>
    public string? Eligible(LivenessResult r)
    {
        var s = r.Segment;
        if (r.Verdict == Verdict.Live) return "live: " + r.Reason;
        // Decisive before any doubt about it: another user's segment is kept without AllUsers,
        // and an unprivileged checker's "unknown" for it (processes it could not read) says less.
        if (s.OwnerUid != _euid && !_options.AllUsers)
            return $"owned by {s.Owner ?? "?"}: other users' segments only with AllUsers";
        switch (r.Verdict)
        {
            case Verdict.Unknown:
                return "unknown: " + r.Reason;
            case Verdict.Orphaned when !_options.IncludeOrphaned:
                return "orphaned: removed only with IncludeOrphaned and OlderThan";
        }
        if (s.Kind == SegmentKind.Deleted) return "already unlinked: freed when its holders exit";
        if (_options.OlderThan is { } min && (r.Idle == null || r.Idle < min))
            return $"touched {(r.Idle is { } i ? LivenessChecker.Format(i) + " ago" : "at an unknown time")}, more recently than {LivenessChecker.Format(min)}";
        return null;
    }

    /// <summary>
    /// Each parked segment keeps a descriptor open until it is unlinked or put back, and the
    /// holder pass needs some of its own: a batch takes at most half of the descriptors still
    /// free (with 64 kept aside), and never fewer than one.
    /// </summary>
    internal static int BatchSizeFor(long? limit, int? open)
    {
        if (limit is not { } max) return BatchSize;
        long free = max - (open ?? 64) - 64;
        return (int)Math.Clamp(free / 2, 1, BatchSize);
    }

    private static string Directory(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash > 0 ? path[..slash] : "/";
    }

    /// <summary>SysV segments: a fresh row and a fresh judgement, then IPC_RMID (their identity and removal rules are the SysV remover's).</summary>
    private void RemoveSysV(IReadOnlyList<LivenessResult> approved, PosixSegmentRemoval.Outcome record)
    {
        var fresh = ShmInventory.Of(_sources).Scan(new ShmQuery
        {
            ExactNames = approved.Select(r => r.Name).ToHashSet(StringComparer.Ordinal),
            AllNamespaces = approved.Any(r => r.Segment.Namespace != null),
        });
        var byPlace = fresh.Segments.GroupBy(SegmentIdentity.Place).ToDictionary(g => g.Key, g => g.First());
        var matched = new List<ShmSegment>();
        var olds = new List<LivenessResult>();
        foreach (var r in approved)
        {
            if (!byPlace.TryGetValue(SegmentIdentity.Place(r.Segment), out var now))
                record(r, CleanupAction.Kept, "no longer exists");
            else if (!SegmentIdentity.Same(r.Segment, now))
                record(r, CleanupAction.Kept, "was replaced by another segment since it was checked");
            else
            {
                matched.Add(now);
                olds.Add(r);
            }
        }
        var recheck = new LivenessChecker(_options.Liveness, _sources.ProcRoot).Check(matched);
        foreach (var now in recheck)
        {
            if (Eligible(now) is { } why)
            {
                record(now, CleanupAction.Kept, "re-check before removal: " + why);
                continue;
            }
            _log?.Intend(now, null);
            _log?.Commit();
            string? notRemoved = SegmentRemover.RemoveSysV(now.Segment, out long freed, out bool failed);
            if (notRemoved == null) record(now, CleanupAction.Removed, now.Reason, freed);
            else record(now, failed ? CleanupAction.Failed : CleanupAction.Kept, failed ? now.Reason : "at removal: " + notRemoved, 0, failed ? notRemoved : null);
        }
    }

    public void Dispose() => _log?.Dispose();
}
