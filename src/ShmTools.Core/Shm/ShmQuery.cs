namespace ShmTools.Core.Shm;

/// <summary>What to list. Empty collections mean "no filter".</summary>
public sealed record ShmQuery
{
    /// <summary>Wildcard patterns over the segment name (case-sensitive).</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>Exact names (no wildcards), matched by a set: for re-checking many known segments.</summary>
    public IReadOnlySet<string> ExactNames { get; init; } = new HashSet<string>();
    public IReadOnlyList<SegmentKind> Kinds { get; init; } = [];
    /// <summary>User names or numeric uids.</summary>
    public IReadOnlyList<string> Owners { get; init; } = [];
    public long MinimumSize { get; init; }
    /// <summary>Only segments held (mapped, open or attached) by one of these processes.</summary>
    public IReadOnlyList<int> ProcessIds { get; init; } = [];
    /// <summary>Processes that cannot be read but are known to hold no shared memory (e.g. a sandbox's init): not counted as hiding holders, not warned about.</summary>
    public IReadOnlyCollection<int> IgnoreInvisible { get; init; } = [];
    /// <summary>Also the /dev/shm of other mount namespaces (containers), through /proc/PID/root.</summary>
    public bool AllNamespaces { get; init; }
    /// <summary>
    /// For a scan that judging follows: the /proc pass waits (up to this long) for its turn at
    /// the shm directories, so that another check's probes are not read as holders (see
    /// <c>LivenessOptions.LockWait</c>). Null, the default: a plain listing, which never waits.
    /// </summary>
    public TimeSpan? TurnWait { get; init; }
    /// <summary>
    /// Told what a person should know as it happens while the scan waits for that turn (who holds
    /// it, how long the wait may last, going on without it). The words are among the result's
    /// warnings as well, for output that lists them; a front end that told them leaves them out of
    /// what it writes at the end (<see cref="Text.ToldWarnings"/>).
    /// </summary>
    public Action<string>? Notify { get; init; }

    /// <summary>Why a process id cannot name a process (pids are 1 and up), or null when it can.</summary>
    public static string? ProcessIdProblem(int pid) => pid >= 1 ? null : $"{pid} is not a process id (they start at 1)";
}
