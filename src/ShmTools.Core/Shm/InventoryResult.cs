using ShmTools.Core.Processes;

namespace ShmTools.Core.Shm;

/// <summary>The outcome of one inventory scan.</summary>
public sealed record InventoryResult(
    IReadOnlyList<ShmSegment> Segments,
    IReadOnlyList<ShmRoot> Roots,
    IReadOnlyList<ProcessAccessProblem> ProcessProblems,
    IReadOnlyList<IgnoredEntry> IgnoredEntries,
    IReadOnlyList<string> Warnings,
    int ProcessesScanned,
    TimeSpan Elapsed)
{
    /// <summary>True when some processes could not be read, so attachments may be missing.</summary>
    public bool Partial => ProcessProblems.Count > 0;

    /// <summary>Where the time went: directory listing, the /proc pass, assembling the segments.</summary>
    public InventoryTimings? Timings { get; init; }
}
