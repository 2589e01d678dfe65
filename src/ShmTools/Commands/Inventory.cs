using System.Management.Automation;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>Runs one inventory scan for a cmdlet and reports its warnings the PowerShell way.</summary>
internal static class Inventory
{
    /// <summary>Returns the segments, or throws a terminating error where the scan cannot run.</summary>
    /// <param name="parentActivityId">The calling cmdlet's progress activity, if any: the scan's nests under it.</param>
    public static IReadOnlyList<ShmSegment> Scan(PSCmdlet cmdlet, ShmQuery query, int parentActivityId = -1)
    {
        InventoryResult result;
        using (new CmdletActivity(cmdlet, 2, "Shared memory", "Reading /dev/shm and every process's maps and descriptors", parentActivityId))
        {
            try
            {
                result = new ShmInventory().Scan(query);
            }
            catch (PlatformNotSupportedException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "ShmInventoryNotSupported", ErrorCategory.NotImplemented, null));
                throw;
            }
        }
        foreach (var w in result.Warnings) cmdlet.WriteWarning(w);
        if (result.VisibilityWarning is { } visibility) cmdlet.WriteWarning(visibility);
        foreach (var e in result.IgnoredEntries) cmdlet.WriteVerbose($"Ignored {e.Path}: a {e.Type}, not a regular file (never followed).");
        cmdlet.WriteVerbose($"Scanned {result.ProcessesScanned} processes and {result.Roots.Count} /dev/shm root(s) in {result.Elapsed.TotalMilliseconds:0} ms.");
        return result.Segments;
    }
}
