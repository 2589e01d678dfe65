using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>
/// Test-ShmLiveness: is each segment still used? Live, Stale, Orphaned or Unknown, with the
/// evidence. Each pipeline input is judged as it arrives and its results written at once, so
/// -PipelineVariable pairs each result with its input and Select-Object -First stops early; the
/// segments of one input (an array, a -Name scan) share one handshake wait.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ShmLiveness", DefaultParameterSetName = NameSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Test-ShmLiveness.md")]
[OutputType(typeof(LivenessResult))]
public sealed class TestShmLivenessCommand : SegmentJudgingCmdlet
{
    private const string ResultSet = "LivenessResult";
    private LivenessChecker? _checker;
    private int _judged;

    /// <summary>Earlier results: their segments are judged again, now.</summary>
    [Parameter(ParameterSetName = ResultSet, Mandatory = true, ValueFromPipeline = true)]
    public LivenessResult[]? LivenessResult { get; set; }

    protected override void BeginProcessing() => _checker = new LivenessChecker(LivenessOptions) { Notify = WriteWarning };

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ResultSet)
        {
            Judge(Listed((LivenessResult ?? []).Select(r => r?.Segment)).ToArray());
        }
        else if (ParameterSetName == InputSet)
        {
            Judge(SegmentsOfThisRecord().ToArray());
        }
        else
        {
            Judge(SegmentsOfThisRecord(Progress("Finding segments").Id).ToArray());
        }
    }

    protected override void EndProcessing() => EndProgress();

    private void Judge(ShmSegment[] segments)
    {
        if (segments.Length == 0) return;
        Progress("Probing segments", _judged == 0 ? $"{segments.Length} segment(s)" : $"{segments.Length} segment(s); {_judged} judged so far");
        var results = Run(cancel => _checker!.Check(segments, cancel));
        _judged += results.Count;
        foreach (var r in results)
        {
            WriteVerbose($"{r.Name}: {r.Verdict} ({r.Reason})");
            WriteObject(r);
        }
    }
}
