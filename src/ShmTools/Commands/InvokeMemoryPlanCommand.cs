using System.Management.Automation;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Commands;

/// <summary>Invoke-MemoryPlan: plans a model's memory on device profiles.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "MemoryPlan", HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Invoke-MemoryPlan.md")]
[OutputType(typeof(MemoryPlan))]
public sealed class InvokeMemoryPlanCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? InputShape { get; set; }

    [Parameter]
    public PlanStrategy Strategy { get; set; } = PlanStrategy.Auto;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChartPath { get; set; }

    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void EndProcessing()
    {
        WriteProgress(new ProgressRecord(1, "Invoke-MemoryPlan", $"Planning {Model}"));
        try
        {
            var plan = new PlanRequest
            {
                Model = GetUnresolvedProviderPathFromPSPath(Model),
                Profiles = (Profile ?? []).Select(p => File.Exists(GetUnresolvedProviderPathFromPSPath(p)) ? GetUnresolvedProviderPathFromPSPath(p) : p).ToList(),
                InputShapes = InputShape ?? [],
                Strategy = Strategy,
                Detailed = Detailed.IsPresent,
                ChartPath = ChartPath == null ? null : GetUnresolvedProviderPathFromPSPath(ChartPath),
            }.Run();
            foreach (var d in plan.Devices)
                WriteVerbose($"{d.Name}: peak {d.PeakBytes} bytes, lower bound {d.LowerBoundBytes}, {d.Strategy}, fits: {d.Fits}.");
            WriteObject(plan);
        }
        catch (Exception ex) when (ex is ModelFormatException or ProfileFormatException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex is ModelFormatException ? "InvalidModel" : "InvalidDeviceProfile", ErrorCategory.InvalidData, Model));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Invoke-MemoryPlan", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
