using ShmTools.Core.Processes;

namespace ShmTools.Core.Shm;

/// <summary>
/// What one scan could not see, as one fact of the scan: the processes it could not read (less
/// those the query declared harmless) and what /proc itself hides (another pid namespace,
/// hidepid). The scan result and every segment it found refer to the same instance, so a segment
/// judged on its own, far down a pipeline, still knows how complete its holders are.
/// </summary>
public sealed record ScanVisibility
{
    /// <summary>Every process was seen and read.</summary>
    public static ScanVisibility Complete { get; } = new();

    /// <summary>What /proc hides by the way it is mounted or namespaced.</summary>
    public ProcVisibility Proc { get; init; } = ProcVisibility.Complete;

    /// <summary>Processes whose maps or descriptors could not be read, ascending, without the ignored ones.</summary>
    public IReadOnlyList<int> UnreadablePids { get; init; } = [];

    /// <summary>Unreadable processes the query declared harmless (e.g. a sandbox's init): neither warned about nor counted.</summary>
    public IReadOnlyList<int> IgnoredPids { get; init; } = [];

    /// <summary>True when nothing was hidden: every process that could hold a segment was read.</summary>
    public bool IsComplete => UnreadablePids.Count == 0 && Proc.IsComplete;

    /// <summary>Builds the fact from the pass's problems, leaving out the pids declared harmless.</summary>
    public static ScanVisibility Of(IReadOnlyList<ProcessAccessProblem> problems, IReadOnlyCollection<int> ignore, ProcVisibility proc)
    {
        var unreadable = new SortedSet<int>();
        var ignored = new SortedSet<int>();
        foreach (var p in problems) (ignore.Contains(p.Pid) ? ignored : unreadable).Add(p.Pid);
        if (unreadable.Count == 0 && ignored.Count == 0 && proc.IsComplete) return Complete;
        return new ScanVisibility { Proc = proc, UnreadablePids = unreadable.ToArray(), IgnoredPids = ignored.ToArray() };
    }

    /// <summary>The unreadable pids that <paramref name="ignore"/> does not also declare harmless.</summary>
    public IReadOnlyList<int> UnreadableExcept(IReadOnlyCollection<int> ignore) =>
        ignore.Count == 0 ? UnreadablePids : UnreadablePids.Where(p => !ignore.Contains(p)).ToArray();
}
