namespace ShmTools.Core.Planning.Exact;

/// <summary>What one search for a placement within a capacity ended with.</summary>
public enum PackOutcome
{
    /// <summary>A placement within the capacity was found.</summary>
    Found,
    /// <summary>The search was exhausted: no placement within the capacity exists.</summary>
    Infeasible,
    /// <summary>The time limit ended the search before either was known.</summary>
    TimedOut,
}
