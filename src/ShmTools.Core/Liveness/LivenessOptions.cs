namespace ShmTools.Core.Liveness;

/// <summary>How hard to look.</summary>
public sealed record LivenessOptions
{
    /// <summary>How long a handshake probe waits for the owner's answer.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Unattached segments of unknown owners untouched for this long are Orphaned.</summary>
    public TimeSpan OrphanAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Unreadable processes known to hold no shared memory (e.g. a sandbox's own init). By
    /// default any unreadable process makes unattached POSIX segments Unknown.
    /// </summary>
    public IReadOnlyCollection<int> IgnoreInvisible { get; init; } = [];

    public static LivenessOptions Default { get; } = new();
}
