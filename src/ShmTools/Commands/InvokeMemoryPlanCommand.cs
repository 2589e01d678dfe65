using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Commands;

/// <summary>
/// Invoke-MemoryPlan: plans a model's memory on device profiles. Models come as a path, as
/// strings from the pipeline, or as files (FileInfo, or any object with FullName or Path); each
/// is planned and written as it arrives.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MemoryPlan")]
[OutputType(typeof(MemoryPlan))]
public sealed class InvokeMemoryPlanCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Path")]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    /// <summary>NAME=D1,D2,... as typed (x=1,3,640,640 arrives split; it is joined again), or a hashtable @{x=1,3,640,640}.</summary>
    [Parameter]
    [InputShapeTransformation]
    [ValidateNotNullOrEmpty]
    public string[]? InputShape { get; set; }

    [Parameter]
    [EnumWordTransformation(typeof(PlanStrategy))]
    public PlanStrategy Strategy { get; set; } = PlanStrategy.Auto;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChartPath { get; set; }

    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord()
    {
        string model = GetUnresolvedProviderPathFromPSPath(Model);
        if (!File.Exists(model))
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"Cannot find the model file '{model}' (-Model)."), "ModelNotFound", ErrorCategory.ObjectNotFound, Model));
            return;
        }
        var progress = new ProgressRecord(1, "Invoke-MemoryPlan", $"Planning {Model}");
        WriteProgress(progress);
        try
        {
            var request = new PlanRequest
            {
                Model = model,
                Profiles = (Profile ?? []).Select(p => File.Exists(GetUnresolvedProviderPathFromPSPath(p)) ? GetUnresolvedProviderPathFromPSPath(p) : p).ToList(),
                InputShapes = InputShape ?? [],
                Strategy = Strategy,
                Detailed = Detailed.IsPresent,
                ChartPath = ChartPath == null ? null : GetUnresolvedProviderPathFromPSPath(ChartPath),
            };
            var plan = request.Plan();
            IOException? chartError = null;
            try
            {
                request.WriteCharts(plan);
            }
            catch (IOException ex)
            {
                chartError = ex;
            }
            plan = request.ForOutput(plan);
            foreach (var d in plan.Devices)
                WriteVerbose($"{d.Name}: peak {d.PeakBytes} bytes, lower bound {d.LowerBoundBytes}, {d.Strategy}, fits: {d.Fits}.");
            // The plan is the result; a chart that cannot be written is an error beside it, not instead of it.
            WriteObject(plan);
            if (chartError != null)
                WriteError(new ErrorRecord(chartError, "ChartNotWritten", ErrorCategory.WriteError, ChartPath));
        }
        catch (ProfileFormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidDeviceProfile", ErrorCategory.InvalidData, Profile));
        }
        catch (ModelFormatException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidModel", ErrorCategory.InvalidData, Model));
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
