using ShmTools.Core.Processes;
using ShmTools.Core.Text;

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
    /// <summary>What the scan could not see: unreadable processes (less the ones declared harmless) and what /proc hides. Every segment refers to this same fact.</summary>
    public ScanVisibility Visibility { get; init; } = ScanVisibility.Complete;

    /// <summary>True when the scan did not see every process (some could not be read, or /proc hides some), so attachments may be missing.</summary>
    public bool Partial => !Visibility.IsComplete;

    /// <summary>Why the scan is partial, one reason each (empty when it is not).</summary>
    public IReadOnlyList<string> VisibilityLimits
    {
        get
        {
            var limits = new List<string>(3);
            if (Visibility.UnreadablePids.Count > 0) limits.Add($"{Visibility.UnreadablePids.Count} process(es) could not be read");
            limits.AddRange(Visibility.Proc.Limits);
            return limits;
        }
    }

    /// <summary>
    /// What a person should be told about partial visibility, or null when every process was seen
    /// and read. Processes the query declared harmless are not mentioned.
    /// </summary>
    public string? VisibilityWarning
    {
        get
        {
            if (!Partial) return null;
            var unreadable = ProcessProblems.Where(p => !Visibility.IgnoredPids.Contains(p.Pid)).ToList();
            string? text = unreadable.Count == 0 ? null :
                $"{unreadable.Count} process(es) could not be read, so holders may be missing ({string.Join("; ", unreadable.Take(3).Select(p => p.Message))}{(unreadable.Count > 3 ? "; ..." : "")}). Run as root for a complete view.";
            return string.Join(" ", new[] { text, Visibility.Proc.Warning }.Where(w => w != null));
        }
    }

    /// <summary>What a person should be told about the entries the listing ignored (up to five named, escaped for a terminal), or null when there were none.</summary>
    public string? IgnoredEntriesWarning => IgnoredEntries.Count == 0 ? null :
        $"ignored {IgnoredEntries.Count} non-regular entr{(IgnoredEntries.Count == 1 ? "y" : "ies")} in /dev/shm (never followed): " +
        string.Join(", ", IgnoredEntries.Take(5).Select(e => $"{TerminalText.Name(e.Path)} ({e.Type.ToString().ToLowerInvariant()})"));

    /// <summary>Everything the scan has to tell a person, in the order a front end writes it: its warnings, then visibility, then ignored entries.</summary>
    public IReadOnlyList<string> AllWarnings
    {
        get
        {
            var all = new List<string>(Warnings);
            if (VisibilityWarning is { } visibility) all.Add(visibility);
            if (IgnoredEntriesWarning is { } ignored) all.Add(ignored);
            return all;
        }
    }

    /// <summary>Where the time went: directory listing, the /proc pass, assembling the segments.</summary>
    public InventoryTimings? Timings { get; init; }
}
