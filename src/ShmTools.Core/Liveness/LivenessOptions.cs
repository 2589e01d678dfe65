namespace ShmTools.Core.Liveness;

/// <summary>How hard to look. The defaults and limits here are the only ones; both front ends bind to them.</summary>
public sealed record LivenessOptions
{
    /// <summary>The shortest probe timeout that means anything: two answer intervals of an owner's responder.</summary>
    public static readonly TimeSpan MinimumProbeTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a handshake probe waits for the owner's answer.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Unattached segments of unknown owners untouched for this long are Orphaned.</summary>
    public TimeSpan OrphanAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Unreadable processes known to hold no shared memory (e.g. a sandbox's own init). By
    /// default any unreadable process makes unattached POSIX segments Unknown.
    /// </summary>
    public IReadOnlyCollection<int> IgnoreInvisible { get; init; } = [];

    /// <summary>
    /// How long to wait for another check or cleanup of the same directory (its turn lock)
    /// before going on without it.
    /// </summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(10);

    public static LivenessOptions Default { get; } = new();

    /// <summary>
    /// Why this probe timeout cannot be used, or null. A timeout shorter than the owner's answer
    /// interval would turn every silent-but-alive owner into "no answer", a removal candidate.
    /// </summary>
    public static string? ProbeTimeoutProblem(TimeSpan timeout) =>
        timeout < MinimumProbeTimeout
            ? $"{Text.Duration.Format(timeout)} is too short for a probe timeout: owners answer every 50 ms, so wait at least {Text.Duration.Format(MinimumProbeTimeout)} (e.g. 500ms, 2s)"
            : timeout > TimeSpan.FromHours(1)
                ? $"{Text.Duration.Format(timeout)} is too long for a probe timeout (at most 1h)"
                : null;

    /// <summary>Why this orphan age cannot be used, or null.</summary>
    public static string? OrphanAgeProblem(TimeSpan age) =>
        age < TimeSpan.Zero ? "an orphan age cannot be negative" : null;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> if any option is unusable.</summary>
    public void Validate()
    {
        if (ProbeTimeoutProblem(ProbeTimeout) is { } p) throw new ArgumentOutOfRangeException(nameof(ProbeTimeout), ProbeTimeout, p);
        if (OrphanAgeProblem(OrphanAge) is { } o) throw new ArgumentOutOfRangeException(nameof(OrphanAge), OrphanAge, o);
        if (LockWait < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(LockWait), LockWait, "the lock wait cannot be negative");
    }
}
