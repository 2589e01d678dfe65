namespace ShmTools.Core.Cleanup;

/// <summary>What became of one segment in a cleanup.</summary>
public enum CleanupAction
{
    Removed,
    Kept,
    Failed,
    /// <summary>A preview: it would have been removed.</summary>
    WouldRemove,
    /// <summary>
    /// Held when it was about to be removed, but its name had been re-created meanwhile, so it
    /// could not be put back: it stays under its quarantine name (<see cref="RemovalRecord.QuarantineName"/>).
    /// </summary>
    Stranded,
}
