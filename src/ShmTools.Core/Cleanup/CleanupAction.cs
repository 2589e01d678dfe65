namespace ShmTools.Core.Cleanup;

/// <summary>What became of one segment in a cleanup.</summary>
public enum CleanupAction
{
    Removed,
    Kept,
    Failed,
    /// <summary>A dry run: it would have been removed.</summary>
    WouldRemove,
}
