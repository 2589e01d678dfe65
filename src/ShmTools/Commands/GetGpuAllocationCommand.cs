using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Gpu;

namespace ShmTools.Commands;

/// <summary>Get-GpuAllocation: GPU memory per process (or, with -ListDevice, per device).</summary>
[Cmdlet(VerbsCommon.Get, "GpuAllocation", HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Get-GpuAllocation.md")]
[OutputType(typeof(GpuAllocation), typeof(GpuDevice))]
public sealed class GetGpuAllocationCommand : PSCmdlet
{
    [Parameter]
    [EnumWordTransformation(typeof(GpuSource))]
    public GpuSource Source { get; set; } = GpuSource.Auto;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NvmlLibrary { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NvidiaSmi { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? HamiCache { get; set; }

    /// <summary>Write the devices instead of the allocations.</summary>
    [Parameter]
    public SwitchParameter ListDevice { get; set; }

    protected override void EndProcessing()
    {
        GpuReport report;
        try
        {
            report = new GpuInventory().Read(new GpuQuery
            {
                Source = Source,
                NvmlLibrary = NvmlLibrary,
                NvidiaSmi = NvidiaSmi,
                HamiCaches = HamiCache?.Select(p => GetUnresolvedProviderPathFromPSPath(p)).ToArray() ?? [],
            });
        }
        catch (GpuUnavailableException ex)
        {
            WriteError(new ErrorRecord(ex, "GpuUnavailable", ErrorCategory.ResourceUnavailable, Source));
            return;
        }
        catch (GpuInputException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidHamiRegion", ErrorCategory.InvalidData, HamiCache));
            return;
        }
        foreach (var w in report.Warnings) WriteWarning(w);
        WriteVerbose($"Sources: {string.Join(", ", report.Sources)}; {report.Devices.Count} device(s), {report.Allocations.Count} allocation(s).");
        if (ListDevice) WriteObject(report.Devices, enumerateCollection: true);
        else WriteObject(report.Allocations, enumerateCollection: true);
    }
}
