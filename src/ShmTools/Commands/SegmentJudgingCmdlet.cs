using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>
/// What every cmdlet that judges segments shares: segments by name (scanned here) or from the
/// pipeline, and the liveness parameters, bound to <see cref="Core.Liveness.LivenessOptions"/>.
/// </summary>
public abstract class SegmentJudgingCmdlet : PSCmdlet
{
    protected const string NameSet = "Name";
    protected const string InputSet = "InputObject";
    private readonly List<ShmSegment> _piped = new();

    [Parameter(ParameterSetName = InputSet, Mandatory = true, ValueFromPipeline = true)]
    public ShmSegment[]? InputObject { get; set; }

    [Parameter(ParameterSetName = NameSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SegmentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = NameSet)]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter]
    public TimeSpan ProbeTimeout { get; set; } = LivenessOptions.Default.ProbeTimeout;

    [Parameter]
    public TimeSpan OrphanAge { get; set; } = LivenessOptions.Default.OrphanAge;

    [Parameter]
    public int[]? IgnoreInvisibleProcess { get; set; }

    protected LivenessOptions LivenessOptions => new()
    {
        ProbeTimeout = ProbeTimeout,
        OrphanAge = OrphanAge,
        IgnoreInvisible = IgnoreInvisibleProcess ?? [],
    };

    protected override void ProcessRecord()
    {
        if (InputObject != null) _piped.AddRange(InputObject);
    }

    /// <summary>The segments to judge: those piped in, or a fresh scan for -Name.</summary>
    protected IReadOnlyList<ShmSegment> Segments(int parentActivityId = -1) =>
        ParameterSetName == NameSet
            ? Inventory.Scan(this, new ShmQuery { Names = Name ?? [], AllNamespaces = AllNamespaces.IsPresent }, parentActivityId)
            : _piped;
}
