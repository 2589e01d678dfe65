using ShmTools.Core.Liveness;

namespace ShmTools.Core.Cleanup;

/// <summary>What a cleanup may remove.</summary>
public sealed record CleanupOptions
{
    /// <summary>Also remove Orphaned segments; needs <see cref="OlderThan"/> as well.</summary>
    public bool IncludeOrphaned { get; init; }
    /// <summary>Only segments untouched for at least this long.</summary>
    public TimeSpan? OlderThan { get; init; }
    /// <summary>Also segments of other users (given the permission to remove them).</summary>
    public bool AllUsers { get; init; }
    /// <summary>Decide and report, remove nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>Append one JSON line per decision to this file.</summary>
    public string? LogPath { get; init; }
    public LivenessOptions Liveness { get; init; } = LivenessOptions.Default;
}
