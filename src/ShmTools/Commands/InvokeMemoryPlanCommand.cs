using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Buffers;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Commands;

/// <summary>
/// Invoke-MemoryPlan: plans a model's memory on device profiles, or places a buffer list. Models
/// come as a path, as strings from the pipeline, or as files (FileInfo, or any object with
/// FullName or Path); each is planned and written as it arrives.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MemoryPlan", DefaultParameterSetName = ModelSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Invoke-MemoryPlan.md")]
[OutputType(typeof(MemoryPlan), ParameterSetName = [ModelSet])]
[OutputType(typeof(BufferPlan), ParameterSetName = [BufferSet])]
public sealed class InvokeMemoryPlanCommand : PSCmdlet
{
    private const string ModelSet = "Model", BufferSet = "BufferFile";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ModelSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Path")]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter(Position = 1, ParameterSetName = ModelSet)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    /// <summary>NAME=D1,D2,... as typed (x=1,3,640,640 arrives split; it is joined again), or a hashtable @{x=1,3,640,640}.</summary>
    [Parameter(ParameterSetName = ModelSet)]
    [InputShapeTransformation]
    [ValidateNotNullOrEmpty]
    public string[]? InputShape { get; set; }

    [Parameter]
    [EnumWordTransformation(typeof(PlanStrategy))]
    public PlanStrategy Strategy { get; set; } = PlanStrategy.Auto;

    [Parameter(ParameterSetName = ModelSet)]
    [ValidateNotNullOrEmpty]
    public string? ChartPath { get; set; }

    [Parameter(ParameterSetName = ModelSet)]
    public SwitchParameter Detailed { get; set; }

    /// <summary>A buffer list to place instead of a model: CSV id,lower,upper,size.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BufferSet)]
    [ValidateNotNullOrEmpty]
    public string? BufferFile { get; set; }

    /// <summary>Find a placement of the buffer list within this many bytes, or prove there is none.</summary>
    [Parameter(ParameterSetName = BufferSet)]
    [ValidateRange(0, long.MaxValue)]
    public long Capacity { get; set; }

    /// <summary>Also write the placed buffer list as CSV id,lower,upper,size,offset.</summary>
    [Parameter(ParameterSetName = BufferSet)]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>How long the exact search may run.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan TimeLimit { get; set; }

    private TimeSpan? Limit => MyInvocation.BoundParameters.ContainsKey(nameof(TimeLimit)) ? TimeLimit : null;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == BufferSet)
        {
            PlanBuffers();
            return;
        }
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
                Profiles = Profile ?? [],
                ProfilePathResolver = GetUnresolvedProviderPathFromPSPath,
                InputShapes = InputShape ?? [],
                Strategy = Strategy,
                Detailed = Detailed.IsPresent,
                ChartPath = ChartPath == null ? null : GetUnresolvedProviderPathFromPSPath(ChartPath),
                TimeLimit = Limit,
            };
            var plan = request.Plan();
            foreach (var w in plan.Warnings) WriteWarning(w);
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

    private void PlanBuffers()
    {
        var progress = new ProgressRecord(1, "Invoke-MemoryPlan", $"Placing {BufferFile}");
        WriteProgress(progress);
        try
        {
            var plan = new BufferPlanRequest
            {
                File = GetUnresolvedProviderPathFromPSPath(BufferFile),
                Capacity = MyInvocation.BoundParameters.ContainsKey(nameof(Capacity)) ? Capacity : null,
                TimeLimit = Limit,
                Strategy = Strategy,
                OutputPath = OutputPath == null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath),
            }.Run();
            WriteVerbose($"{plan.Buffers.Count} buffers: peak {plan.PeakBytes} bytes, lower bound {plan.LowerBoundBytes}, {plan.Strategy}, proven optimal: {plan.ProvenOptimal}.");
            WriteObject(plan);
        }
        catch (ModelFormatException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidBufferList", ErrorCategory.InvalidData, BufferFile));
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
