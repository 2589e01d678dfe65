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

    /// <summary>What a person should be told about partial visibility, or null when every process was read.</summary>
    public string? VisibilityWarning => !Partial ? null :
        $"{ProcessProblems.Count} process(es) could not be read, so holders may be missing ({string.Join("; ", ProcessProblems.Take(3).Select(p => p.Message))}{(ProcessProblems.Count > 3 ? "; ..." : "")}). Run as root for a complete view.";

    /// <summary>Where the time went: directory listing, the /proc pass, assembling the segments.</summary>
    public InventoryTimings? Timings { get; init; }
}
