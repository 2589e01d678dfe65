using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Core.Threading;

namespace ShmTools.Core.Liveness;

/// <summary>
/// The liveness method: a state handshake and lock leases, plus mapping, descriptor and
/// owner-process evidence. The evidence ladder (docs/lease-protocol.md) decides; the first rule
/// that applies gives the verdict. Safety first: when in doubt the verdict is Unknown.
/// </summary>
public sealed class LivenessChecker
{
    private readonly LivenessOptions _options;
    private readonly string _procRoot;

    public LivenessChecker(LivenessOptions? options = null, string procRoot = "/proc")
    {
        _options = options ?? LivenessOptions.Default;
        _options.Validate();
        _procRoot = procRoot;
    }

    /// <summary>
    /// Told what a person should know as it happens: waiting for another check or cleanup of the
    /// same directory, going on without its lock (see <see cref="TurnLock"/>).
    /// </summary>
    public Action<string>? Notify { get; init; }

    /// <summary>
    /// Judges the segments; <paramref name="cancel"/> ends probes, the handshake wait and a wait
    /// for another check's turn at once (then <see cref="OperationCanceledException"/>).
    /// </summary>
    public IReadOnlyList<LivenessResult> Check(IReadOnlyList<ShmSegment> segments, CancellationToken cancel = default)
    {
        // Probes and lease questions open files: one looker at a time per directory. System V
        // segments are judged from the kernel's table alone and need no turn.
        using var turn = TurnLock.Take(segments, "judging", _options.LockWait, Notify, cancel);
        // Only segments no live process holds need opening: the others are Live already.
        var probeIndex = new List<int>();
        for (int i = 0; i < segments.Count; i++)
            if (NeedsProbe(segments[i])) probeIndex.Add(i);
        var outcomes = SegmentProber.Probe(probeIndex.Select(i => segments[i]).ToList(), _options.ProbeTimeout, cancel);
        var probeOf = new ProbeOutcome?[segments.Count];
        for (int k = 0; k < probeIndex.Count; k++) probeOf[probeIndex[k]] = outcomes[k];

        var table = new ProcessTable(_procRoot);
        var now = DateTimeOffset.UtcNow;
        var results = new LivenessResult[segments.Count];
        // Each segment is decided on its own (the kernel-lease question opens its file): large
        // lists are decided on two threads, each with its own words and directories, which take
        // pieces in turn (unheld segments cost more, and they sort together by name).
        Chunked.Pull(segments.Count, DecidePiece, () => new Deciding(_options), (d, from, to) =>
        {
            for (int i = from; i < to; i++) results[i] = Decide(segments[i], probeOf[i], table, now, d.Holders, d.Unseen, d.Directories);
            return 0;
        }, threads: Math.Min(2, Environment.ProcessorCount), minimumPerThread: DecidePerThread);
        return results;
    }

    /// <summary>Below this many segments per extra thread they are decided on the caller's thread alone.</summary>
    internal const int DecidePerThread = 1024;

    /// <summary>Segments a deciding thread takes at a time.</summary>
    private const int DecidePiece = 256;

    /// <summary>What one deciding thread keeps from segment to segment.</summary>
    private sealed class Deciding(LivenessOptions options) : IDisposable
    {
        public HolderEvidence Holders { get; } = new();
        public UnseenWords Unseen { get; } = new(options);
        public ParentDirectories Directories { get; } = new();

        public void Dispose() => Directories.Dispose();
    }

    /// <summary>The unreadable pids that count, their findings, and why a holder may be unseen (null: nothing hidden).</summary>
    private sealed record Unseen(IReadOnlyList<int> Invisible, Evidence[] Findings, string? Why);

    /// <summary>
    /// Segments of one scan share one visibility fact: what it hides is put in words once (per
    /// thread deciding them).
    /// </summary>
    private sealed class UnseenWords(LivenessOptions options)
    {
        private ScanVisibility? _from;
        private Unseen _words = new([], [], null);

        public Unseen Of(ScanVisibility visibility)
        {
            if (ReferenceEquals(visibility, _from)) return _words;
            _words = Describe(visibility, options);
            _from = visibility;
            return _words;
        }
    }

    private static Unseen Describe(ScanVisibility visibility, LivenessOptions options)
    {
        var invisible = visibility.UnreadableExcept(options.IgnoreInvisible);
        var findings = new List<Evidence>();
        string? why = null;
        if (invisible.Count > 0)
        {
            findings.Add(new Evidence(EvidenceKind.Visibility, $"{invisible.Count} process(es) could not be read ({string.Join(", ", invisible.Take(5))}{(invisible.Count > 5 ? ", ..." : "")}): a holder may be invisible"));
            why = "some processes could not be read, so a holder may be invisible";
        }
        foreach (var limit in visibility.Proc.Limits)
            findings.Add(new Evidence(EvidenceKind.Visibility, limit + ": a holder there may be invisible"));
        why ??= visibility.Proc.PidNamespace != null ? "processes outside this pid namespace are not seen, so a holder may be invisible"
            : visibility.Proc.HidePid != null ? $"/proc hides other users' processes (hidepid={visibility.Proc.HidePid}), so a holder may be invisible"
            : null;
        return new Unseen(invisible, findings.ToArray(), why);
    }

    // System V segments are never probed: attaching would change the nattch, lpid, atime and
    // dtime they are judged by (and make this process their "live last attacher").
    private static bool NeedsProbe(ShmSegment s) =>
        s.Attachments.Count == 0 && s.Kind is SegmentKind.Posix or SegmentKind.Semaphore;

    private LivenessResult Decide(ShmSegment s, ProbeOutcome? probe, ProcessTable table, DateTimeOffset now, HolderEvidence holders, UnseenWords unseenWords, ParentDirectories dirs)
    {
        var idle = Idle(s, now);

        // 1. Attachments: the kernel's nattch for SysV, maps and descriptors by (device, inode).
        bool attached = s.Kind == SegmentKind.SysV && s.AttachCount > 0;
        if (attached || s.Attachments.Count > 0)
        {
            string held = attached ? $"attached {s.AttachCount} time(s) (nattch)" : holders.Of(s.Attachments[0]).Reason;
            return new() { Segment = s, Verdict = Verdict.Live, Reason = held, Evidence = holders.Findings(s.Attachments), Idle = idle, CheckedAt = now };
        }
        var ev = new List<Evidence>(4);
        LivenessResult Result(Verdict v, string reason, OwnerState owner = OwnerState.Unknown, int? ownerPid = null) =>
            new() { Segment = s, Verdict = v, Reason = reason, Evidence = ev.AsReadOnly(), OwnerState = owner, OwnerPid = ownerPid, Idle = idle, CheckedAt = now };
        if (idle is { } age) ev.Add(new Evidence(EvidenceKind.Age, $"untouched for {Format(age)}"));
        if (s.Kind == SegmentKind.Deleted)
            return Result(Verdict.Unknown, "unlinked and no longer held: its memory is freed when the last holder exits; nothing to remove");

        // Could a holder be hiding? SysV attachment counts come from the kernel; files need /proc,
        // which may not show every process (unreadable ones, other pid namespaces, hidepid).
        var hidden = unseenWords.Of(s.Visibility);
        var invisible = hidden.Invisible;
        string? unseen = null;
        if (s.Kind != SegmentKind.SysV)
        {
            ev.AddRange(hidden.Findings);
            unseen = hidden.Why;
        }

        // 2. Lock lease, 3. handshake.
        if (probe?.Error is { } err) ev.Add(new Evidence(EvidenceKind.LockLease, "not probed: " + err));
        if (probe?.LockHeldBy is { } kind)
        {
            ev.Add(new Evidence(EvidenceKind.LockLease, $"a {kind} lock is held on it (exclusive probe refused)"));
            return Result(Verdict.Live, $"lock lease held ({kind})");
        }
        if (probe is { Error: null, LockHeldBy: null }) ev.Add(new Evidence(EvidenceKind.LockLease, "no lock held (exclusive OFD and flock probes succeeded)"));

        bool released = false, unanswered = false;
        if (probe is { HeaderPresent: true })
        {
            if (probe.Answered)
            {
                ev.Add(new Evidence(EvidenceKind.Handshake, $"owner answered the probe in {probe.AnswerTime!.Value.TotalMilliseconds:0} ms"));
                return Result(Verdict.Live, "owner answered the handshake", OwnerState.Alive, probe.OwnerPid);
            }
            released = probe.HeaderState == LeaseHeader.Released;
            unanswered = !released;
            ev.Add(new Evidence(EvidenceKind.Handshake, released
                ? "header says RELEASED: the owner is done with it"
                : $"no answer within {_options.ProbeTimeout.TotalMilliseconds:0} ms"));
        }
        else if (probe is { Error: null }) ev.Add(new Evidence(EvidenceKind.Handshake, "no handshake header"));
        else if (s.Kind == SegmentKind.SysV)
            ev.Add(new Evidence(EvidenceKind.Attachment, $"nattch 0, creator pid {s.CreatorPid}, last attacher pid {s.LastPid}: from the kernel's table alone, never attached to look"));

        // 4-6. The owner process, then age.
        var (owner, ownerPid, finding) = OwnerResolver.Resolve(s, probe, table);
        ev.Add(new Evidence(EvidenceKind.Owner, finding));
        if (probe?.Error != null && s.Kind != SegmentKind.SysV)
            return Result(Verdict.Unknown, invisible.Count > 0 ? unseen! : "could not be probed: " + probe.Error, owner, ownerPid);
        var (verdict, reason) = Ladder(s, owner, ownerPid, released, unanswered, idle);

        // Stale and Orphaned mean that nobody was seen holding it. The kernel knows for every
        // process, seen or not: asked for an exclusive lease, it refuses while any open file
        // (descriptor or mapping) of the segment exists anywhere.
        if (verdict is Verdict.Stale or Verdict.Orphaned && s.Kind is SegmentKind.Posix or SegmentKind.Semaphore)
        {
            var (answer, said) = KernelOpenCheck.Ask(s, dirs);
            ev.Add(new Evidence(EvidenceKind.KernelLease, said));
            if (answer == KernelOpenCheck.Answer.OpenElsewhere)
                return Result(Verdict.Live, KernelOpenCheck.Refused, owner, ownerPid);
            if (answer == KernelOpenCheck.Answer.NotAsked && unseen != null)
                return Result(Verdict.Unknown, unseen + "; " + said, owner, ownerPid);
        }
        return Result(verdict, reason, owner, ownerPid);
    }

    /// <summary>Rules 4 to 8 of the ladder, once nothing was seen holding the segment and no lock or answer was found.</summary>
    private (Verdict, string) Ladder(ShmSegment s, OwnerState owner, int? ownerPid, bool released, bool unanswered, TimeSpan? idle)
    {
        if (unanswered && owner is OwnerState.Dead or OwnerState.Reused)
            return (Verdict.Stale, $"handshake unanswered and the recorded owner is {(owner == OwnerState.Dead ? "dead" : "gone (pid reused)")}");
        if (released)
            return (Verdict.Stale, "released by its owner and nothing holds it");
        if (owner == OwnerState.Alive)
            return (Verdict.Live, $"owner pid {ownerPid} is alive (not attached)");
        if (owner is OwnerState.Dead or OwnerState.Reused)
            return (Verdict.Stale, $"owner pid {ownerPid} is {(owner == OwnerState.Dead ? "dead" : "gone (pid reused)")} and nothing holds it");
        if (unanswered)
            return (Verdict.Unknown, "handshake unanswered but the owner is not known to be dead");
        if (idle is { } idleFor && idleFor >= _options.OrphanAge)
            return (Verdict.Orphaned, $"nothing holds it, owner unknown, untouched for {Format(idleFor)}");
        return (Verdict.Unknown, $"nothing holds it, but its owner is unknown and it was touched {(idle is { } i ? Format(i) + " ago" : "at an unknown time")}");
    }

    private static TimeSpan? Idle(ShmSegment s, DateTimeOffset now)
    {
        DateTimeOffset? last = null;
        // A file's change time moves with renames, chmod and a probe's own header write, none of
        // them use; a file is used when it is read or written. (SysV: ctime is its creation.)
        var changed = s.Kind is SegmentKind.Posix or SegmentKind.Semaphore && s.Modified != null ? null : s.Changed;
        foreach (var t in (ReadOnlySpan<DateTimeOffset?>)[s.Modified, s.Accessed, changed])
            if (t is { } v && (last == null || v > last)) last = v;
        if (last is not { } l) return null;
        return l > now ? TimeSpan.Zero : now - l;
    }

    internal static string Format(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{t.TotalDays:0.#} d" : t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0} s";
}
