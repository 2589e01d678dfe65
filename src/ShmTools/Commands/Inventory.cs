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
        InventoryResult result;
        using (new CmdletActivity(cmdlet, 2, "Shared memory", "Reading /dev/shm and every process's maps and descriptors", parentActivityId))
        {
            try
            {
                result = new ShmInventory().Scan(query, cancel);
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
        // A cmdlet that scans once per pipeline input warns once per pipeline.
        warned ??= new HashSet<string>();
        foreach (var w in result.Warnings)
            if (warned.Add(w)) cmdlet.WriteWarning(w);
        if (result.VisibilityWarning is { } visibility && warned.Add(visibility)) cmdlet.WriteWarning(visibility);
        foreach (var e in result.IgnoredEntries) cmdlet.WriteVerbose($"Ignored {e.Path}: a {e.Type}, not a regular file (never followed).");
        cmdlet.WriteVerbose($"Scanned {result.ProcessesScanned} processes and {result.Roots.Count} /dev/shm root(s) in {result.Elapsed.TotalMilliseconds:0} ms.");
        // With other filters a name may exist and be filtered out: that is an answer, not a miss.
        bool namesOnly = query.Kinds.Count == 0 && query.Owners.Count == 0 && query.MinimumSize == 0 && query.ProcessIds.Count == 0;
        foreach (var missing in namesOnly ? GlobPattern.MissingExactNames(query.Names, result.Segments.Select(s => s.Name)) : [])
            cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException($"Cannot find a shared-memory segment named '{missing}' (-Name is case-sensitive; use wildcards, e.g. '{missing}*', to match without an error)."),
                "ShmSegmentNotFound", ErrorCategory.ObjectNotFound, missing));
        return result.Segments;
    }
}
