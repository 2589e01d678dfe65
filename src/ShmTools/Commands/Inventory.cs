using System.Management.Automation;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Commands;

/// <summary>Runs one inventory scan for a cmdlet and reports its warnings and misses the PowerShell way.</summary>
internal static class Inventory
{
    /// <summary>
    /// Returns the segments, or throws a terminating error where the scan cannot run. Each name
    /// asked for without wildcards that matches nothing is an ObjectNotFound error (as Get-Item
    /// reports a missing path) when only names were asked for; a wildcard that matches nothing,
    /// or a name that other filters (kind, owner, size, pid) leave out, is silent.
    /// </summary>
    /// <param name="parentActivityId">The calling cmdlet's progress activity, if any: the scan's nests under it.</param>
    public static IReadOnlyList<ShmSegment> Scan(PSCmdlet cmdlet, ShmQuery query, CancellationToken cancel, ISet<string>? warned = null, int parentActivityId = -1)
    {
        var scan = Begin(cmdlet, query, cancel, warned, parentActivityId);
        var segments = scan.ToResult().Segments;
        ReportMissing(cmdlet, query, segments.Select(s => s.Name));
        return segments;
    }

    /// <summary>
    /// The segments as they are made, batch by batch in their final order, for a cmdlet that
    /// writes each one as it comes (a downstream command that stops early stops the making too);
    /// missing names are reported once the last one is out.
    /// </summary>
    public static IEnumerable<ShmSegment> Stream(PSCmdlet cmdlet, ShmQuery query, CancellationToken cancel, ISet<string>? warned = null)
    {
        var scan = Begin(cmdlet, query, cancel, warned);
        // Names are kept only when some were asked for (a miss is then reported).
        var seen = query.Names.Count > 0 ? new List<string>() : null;
        for (int b = 0; b < scan.BatchCount; b++)
        {
            if (cancel.IsCancellationRequested) throw new PipelineStoppedException();
            foreach (var s in scan.Batch(b))
            {
                seen?.Add(s.Name);
                yield return s;
            }
        }
        if (seen != null) ReportMissing(cmdlet, query, seen);
    }

    private static InventoryScan Begin(PSCmdlet cmdlet, ShmQuery query, CancellationToken cancel, ISet<string>? warned, int parentActivityId = -1)
    {
        InventoryScan scan;
        // A cmdlet that scans once per pipeline input warns once per pipeline.
        warned ??= new HashSet<string>();
        var once = warned;
        using (new CmdletActivity(cmdlet, 2, "Shared memory", "Reading /dev/shm and every process's maps and descriptors", parentActivityId))
        {
            try
            {
                // A wait for another check's turn is told as it begins (the scan waits on this, the pipeline thread).
                scan = ShmInventory.Of().Begin(query with { Notify = w => { if (once.Add(w)) cmdlet.WriteWarning(w); } }, cancel);
            }
            catch (PlatformNotSupportedException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "ShmInventoryNotSupported", ErrorCategory.NotImplemented, null));
                throw;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
        var facts = scan.Facts;
        foreach (var w in facts.Warnings)
            if (warned.Add(w)) cmdlet.WriteWarning(w);
        if (facts.VisibilityWarning is { } visibility && warned.Add(visibility)) cmdlet.WriteWarning(visibility);
        foreach (var e in facts.IgnoredEntries) cmdlet.WriteVerbose($"Ignored {e.Path}: a {e.Type}, not a regular file (never followed).");
        cmdlet.WriteVerbose($"Scanned {facts.ProcessesScanned} processes and {facts.Roots.Count} /dev/shm root(s) in {facts.Elapsed.TotalMilliseconds:0} ms.");
        return scan;
    }

    private static void ReportMissing(PSCmdlet cmdlet, ShmQuery query, IEnumerable<string> found)
    {
        // With other filters a name may exist and be filtered out: that is an answer, not a miss.
        bool namesOnly = query.Kinds.Count == 0 && query.Owners.Count == 0 && query.MinimumSize == 0 && query.ProcessIds.Count == 0;
        foreach (var missing in namesOnly ? GlobPattern.MissingExactNames(query.Names, found) : [])
            cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException($"Cannot find a shared-memory segment named '{missing}' (-Name is case-sensitive; use wildcards, e.g. '{missing}*', to match without an error)."),
                "ShmSegmentNotFound", ErrorCategory.ObjectNotFound, missing));
    }
}
