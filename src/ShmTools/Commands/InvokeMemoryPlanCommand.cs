using System.Management.Automation;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Buffers;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Commands;

/// <summary>Invoke-MemoryPlan: plans a model's memory on device profiles.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "MemoryPlan", DefaultParameterSetName = ModelSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Invoke-MemoryPlan.md")]
[OutputType(typeof(MemoryPlan), ParameterSetName = [ModelSet])]
[OutputType(typeof(BufferPlan), ParameterSetName = [BufferSet])]
public sealed class InvokeMemoryPlanCommand : PSCmdlet
{
    private const string ModelSet = "Model", BufferSet = "BufferFile";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ModelSet)]
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
    public TimeSpan TimeLimit { get; set; }

    protected override void EndProcessing()
    {
        TimeSpan? limit = MyInvocation.BoundParameters.ContainsKey(nameof(TimeLimit)) ? TimeLimit : null;
        if (ParameterSetName == BufferSet)
        {
            PlanBuffers(limit);
            return;
        }
        WriteProgress(new ProgressRecord(1, "Invoke-MemoryPlan", $"Planning {Model}"));
        try
        {
            var plan = new PlanRequest
            {
                Model = GetUnresolvedProviderPathFromPSPath(Model),
                Profiles = Profile ?? [],
                ProfilePathResolver = GetUnresolvedProviderPathFromPSPath,
                InputShapes = InputShape ?? [],
                Strategy = Strategy,
                Detailed = Detailed.IsPresent,
                ChartPath = ChartPath == null ? null : GetUnresolvedProviderPathFromPSPath(ChartPath),
                TimeLimit = limit,
            }.Run();
            foreach (var d in plan.Devices)
                WriteVerbose($"{d.Name}: peak {d.PeakBytes} bytes, lower bound {d.LowerBoundBytes}, {d.Strategy}, fits: {d.Fits}.");
            WriteObject(plan);
        }
        catch (Exception ex) when (ex is ModelFormatException or ProfileFormatException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex is ModelFormatException ? "InvalidModel" : "InvalidDeviceProfile", ErrorCategory.InvalidData, Model));
        }
        catch (ChartWriteException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ChartNotWritten", ErrorCategory.WriteError, ChartPath));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Invoke-MemoryPlan", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void PlanBuffers(TimeSpan? limit)
    {
        foreach (var name in new[] { nameof(Profile), nameof(InputShape), nameof(ChartPath), nameof(Detailed) })
            if (MyInvocation.BoundParameters.ContainsKey(name))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{name} applies to -Model, not to -BufferFile."), "ParameterNotForBufferFile", ErrorCategory.InvalidArgument, name));
        WriteProgress(new ProgressRecord(1, "Invoke-MemoryPlan", $"Placing {BufferFile}"));
        try
        {
            var plan = new BufferPlanRequest
            {
                File = GetUnresolvedProviderPathFromPSPath(BufferFile),
                Capacity = MyInvocation.BoundParameters.ContainsKey(nameof(Capacity)) ? Capacity : null,
                TimeLimit = limit,
                Strategy = Strategy,
                OutputPath = OutputPath == null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath),
            }.Run();
            WriteVerbose($"{plan.Buffers.Count} buffers: peak {plan.PeakBytes} bytes, lower bound {plan.LowerBoundBytes}, {plan.Strategy}, proven optimal: {plan.ProvenOptimal}.");
            WriteObject(plan);
        }
        catch (ModelFormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidBufferList", ErrorCategory.InvalidData, BufferFile));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Invoke-MemoryPlan", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
