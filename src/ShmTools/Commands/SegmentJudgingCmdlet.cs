using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>
/// What every cmdlet that judges segments shares: segments by name (scanned here; names also from
/// the pipeline, as strings or a Name property) or segment objects from the pipeline, and the
/// liveness parameters, bound to <see cref="Core.Liveness.LivenessOptions"/>.
/// Safety: only a call with no pipeline input and no -Name means "every segment on this host".
/// Input is gathered per pipeline record; a pipeline that delivers nothing, or whose input
/// fails to bind, never reaches <see cref="ProcessRecord"/>, so it judges nothing.
/// </summary>
public abstract class SegmentJudgingCmdlet : StoppableCmdlet
{
    protected const string NameSet = "Name";
    protected const string InputSet = "InputObject";
    private readonly List<ShmSegment> _gathered = new();
    private readonly HashSet<string> _warned = new();

    [Parameter(ParameterSetName = InputSet, Mandatory = true, ValueFromPipeline = true)]
    public ShmSegment[]? InputObject { get; set; }

    [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SegmentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = NameSet)]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>A duration ('500ms', '2s') or a TimeSpan; at least Core's minimum.</summary>
    [Parameter]
    [DurationTransformation]
    [ValidateProbeTimeout]
    public TimeSpan ProbeTimeout { get; set; } = LivenessOptions.Default.ProbeTimeout;

    /// <summary>A duration ('1h', '7d') or a TimeSpan.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan OrphanAge { get; set; } = LivenessOptions.Default.OrphanAge;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int[]? IgnoreInvisibleProcess { get; set; }

    protected LivenessOptions LivenessOptions => LivenessOptions.Default with
    {
        ProbeTimeout = ProbeTimeout,
        OrphanAge = OrphanAge,
        IgnoreInvisible = IgnoreInvisibleProcess ?? [],
    };

    protected override void ProcessRecord() => _gathered.AddRange(SegmentsOfThisRecord(Progress("Finding segments").Id));

    private CmdletActivity? _activity;

    /// <summary>
    /// The cmdlet's one progress activity for the whole pipeline: begun by its first record, its
    /// status moved on as it goes, and completed by <see cref="EndProgress"/> or when the pipeline
    /// ends or stops, so a piped list shows one bar rather than one per item.
    /// </summary>
    private protected CmdletActivity Progress(string status, string? currentOperation = null)
    {
        if (_activity == null) _activity = new CmdletActivity(this, 1, MyInvocation.MyCommand.Name, status, currentOperation: currentOperation);
        else _activity.Update(status, currentOperation);
        return _activity;
    }

    protected void EndProgress() => _activity?.Dispose();

    protected override void Release() => _activity?.Dispose();

    /// <summary>
    /// The segments this pipeline record brings: the piped segments, or a scan for the names of
    /// this record (or of the command line); with no pipeline and no names, every segment.
    /// </summary>
    /// <param name="parentActivityId">The calling cmdlet's progress activity: the scan's nests under it.</param>
    protected IReadOnlyList<ShmSegment> SegmentsOfThisRecord(int parentActivityId = -1)
    {
        if (ParameterSetName == InputSet) return Listed(InputObject ?? []);
        if (ParameterSetName != NameSet) return [];
        // Only a call that is first in its pipeline may mean "this host".
        if (Name is not { Length: > 0 } && MyInvocation.ExpectingInput) return [];
        return Inventory.Scan(this, new ShmQuery { Names = Name ?? [], AllNamespaces = AllNamespaces.IsPresent, IgnoreInvisible = IgnoreInvisibleProcess ?? [], TurnWait = LivenessOptions.LockWait }, StopToken, _warned, parentActivityId);
    }

    /// <summary>
    /// The piped segments that really came from a listing. PowerShell can make a segment out of
    /// any object by setting whatever properties match; one without a name or path would judge
    /// and word nothing sensible, so it is an error, not a NullReferenceException later.
    /// </summary>
    protected IReadOnlyList<ShmSegment> Listed(IEnumerable<ShmSegment?> segments)
    {
        var listed = new List<ShmSegment>();
        foreach (var s in segments)
        {
            if (s is { Name: not null, Path: not null, Attachments: not null }) listed.Add(s);
            else WriteError(new ErrorRecord(
                new ArgumentException("The input is not a segment listed by Get-ShmSegment (it has no Name or Path); pipe Get-ShmSegment's output, or objects with a Name property, or use -Name."),
                "NotAListedSegment", ErrorCategory.InvalidArgument, s));
        }
        return listed;
    }

    /// <summary>Every segment gathered so far, for cmdlets that act once all input is in.</summary>
    protected IReadOnlyList<ShmSegment> Segments() => _gathered;
}
