namespace ShmTools.Core.Liveness;

/// <summary>Is a segment still used? Only Stale is removed by default; Live and Unknown never.</summary>
public enum Verdict
{
    /// <summary>Someone uses it: attached, leased, answering, or its owner is alive.</summary>
    Live,
    /// <summary>Nobody uses it and its owner is dead (or said goodbye): safe to remove.</summary>
    Stale,
    /// <summary>Nobody uses it, its owner is unknown, and it has been untouched for long.</summary>
    Orphaned,
    /// <summary>The evidence does not decide (e.g. some processes could not be read).</summary>
    Unknown,
}
