using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>Test-ShmLiveness: is each segment still used? Live, Stale, Orphaned or Unknown, with the evidence.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ShmLiveness", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LivenessResult))]
public sealed class TestShmLivenessCommand : LivenessCmdletBase
{
    private const string NameSet = "Name";
    private const string InputSet = "InputObject";
    private readonly List<ShmSegment> _segments = new();

    [Parameter(ParameterSetName = InputSet, Mandatory = true, ValueFromPipeline = true)]
    public ShmSegment[]? InputObject { get; set; }

    [Parameter(ParameterSetName = NameSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = NameSet)]
    public SwitchParameter AllNamespaces { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject != null) _segments.AddRange(InputObject);
    }

    protected override void EndProcessing()
    {
        var segments = ParameterSetName == NameSet
            ? Inventory.Scan(this, new ShmQuery { Names = Name ?? [], AllNamespaces = AllNamespaces.IsPresent })
            : _segments;
        if (segments == null) return;
        WriteProgress(new ProgressRecord(1, "Test-ShmLiveness", $"Probing {segments.Count} segment(s)"));
        var results = new LivenessChecker(LivenessOptions).Check(segments);
        WriteProgress(new ProgressRecord(1, "Test-ShmLiveness", "Done") { RecordType = ProgressRecordType.Completed });
        foreach (var r in results)
        {
            WriteVerbose($"{r.Name}: {r.Verdict} ({r.Reason})");
            WriteObject(r);
        }
    }
}
