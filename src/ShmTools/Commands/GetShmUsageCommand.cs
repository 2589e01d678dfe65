using System.Management.Automation;
using ShmTools.Core.Capacity;
using ShmTools.Core.Liveness;
using ShmTools.Core.Text;

namespace ShmTools.Commands;

/// <summary>Get-ShmUsage: how full each /dev/shm is, with what and whose; or System V against its limits.</summary>
[Cmdlet(VerbsCommon.Get, "ShmUsage", HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Get-ShmUsage.md")]
[OutputType(typeof(ShmMountUsage), typeof(SysVUsage))]
public sealed class GetShmUsageCommand : StoppableCmdlet
{
    /// <summary>Also every container's /dev/shm (other mount namespaces), one row per tmpfs device.</summary>
    [Parameter]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>How many producers and holders each mount names.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int Top { get; set; } = 5;

    /// <summary>Write the System V totals and limits instead of the mounts.</summary>
    [Parameter]
    public SwitchParameter SystemV { get; set; }

    [Parameter]
    public TimeSpan ProbeTimeout { get; set; } = LivenessOptions.Default.ProbeTimeout;

    [Parameter]
    public TimeSpan OrphanAge { get; set; } = LivenessOptions.Default.OrphanAge;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int[]? IgnoreInvisibleProcess { get; set; }

    protected override void EndProcessing()
    {
        var told = new ToldWarnings();
        ShmUsageReport report;
        // Completed however the scan ends (a warning told to stop the pipeline, Ctrl-C).
        using (new CmdletActivity(this, 3, "Shared memory", "Reading /dev/shm, every process's maps and descriptors, and judging each segment"))
        {
            try
            {
                report = Run(cancel => new ShmUsageScanner().Scan(new UsageQuery
                {
                    AllNamespaces = AllNamespaces.IsPresent,
                    Top = Top,
                    Liveness = new LivenessOptions { ProbeTimeout = ProbeTimeout, OrphanAge = OrphanAge, IgnoreInvisible = IgnoreInvisibleProcess ?? [] },
                    // A wait for another check's turn is told as it begins (this is the pipeline thread).
                    Notify = w =>
                    {
                        told.Add(w);
                        WriteWarning(w);
                    },
                }, cancel));
            }
            catch (PlatformNotSupportedException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "ShmInventoryNotSupported", ErrorCategory.NotImplemented, null));
                return;
            }
        }
        foreach (var w in told.Untold(report.Warnings)) WriteWarning(w);
        WriteVerbose($"Scanned {report.Inventory.ProcessesScanned} processes, {report.Mounts.Count} /dev/shm mount(s) and {report.Verdicts.Count} segment(s) in {report.Elapsed.TotalMilliseconds:0} ms.");
        if (SystemV) WriteObject(report.SysV);
        else WriteObject(report.Mounts, enumerateCollection: true);
    }
}
