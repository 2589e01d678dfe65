using ShmTools.Core.Liveness;

namespace ShmTools.Core.Cleanup;

/// <summary>What a cleanup may remove. Whether it removes or only previews is the approver's answer.</summary>
public sealed record CleanupOptions
{
    /// <summary>Also remove Orphaned segments; needs <see cref="OlderThan"/> as well.</summary>
    public bool IncludeOrphaned { get; init; }
    /// <summary>Only segments untouched for at least this long.</summary>
    public TimeSpan? OlderThan { get; init; }
    /// <summary>Also segments of other users (given the permission to remove them).</summary>
    public bool AllUsers { get; init; }
    /// <summary>Append one JSON line per decision to this file (an intent line before each removal).</summary>
    public string? LogPath { get; init; }
    public LivenessOptions Liveness { get; init; } = LivenessOptions.Default;

    /// <summary>The rules options must keep; throws <see cref="CleanupOptionsException"/> naming the broken one.</summary>
    public void Validate()
    {
        if (IncludeOrphaned && OlderThan == null)
            throw new CleanupOptionsException("OrphanedNeedsOlderThan",
                "Orphaned segments are removed only with an age limit (OlderThan / --older-than): orphans go only when untouched for long enough.");
        if (OlderThan is { } t && t < TimeSpan.Zero)
            throw new CleanupOptionsException("NegativeOlderThan", $"OlderThan must not be negative (got {t}).");
    }
}
