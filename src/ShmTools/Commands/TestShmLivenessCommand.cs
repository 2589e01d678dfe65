using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>
/// Test-ShmLiveness: is each segment still used? Live, Stale, Orphaned or Unknown, with the
/// evidence. Results are written as each pipeline record is judged; the segments of one record
/// (a -Name scan, or an array) share one handshake wait.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ShmLiveness", DefaultParameterSetName = NameSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Test-ShmLiveness.md")]
[OutputType(typeof(LivenessResult))]
public sealed class TestShmLivenessCommand : SegmentJudgingCmdlet
{
    private const string ResultSet = "LivenessResult";
    private LivenessChecker? _checker;

    /// <summary>Earlier results: their segments are judged again, now.</summary>
    [Parameter(ParameterSetName = ResultSet, Mandatory = true, ValueFromPipeline = true)]
    public LivenessResult[]? LivenessResult { get; set; }

    protected override void BeginProcessing() => _checker = new LivenessChecker(LivenessOptions);

    protected override void ProcessRecord()
    {
        IReadOnlyList<LivenessResult> results;
        using (var activity = new CmdletActivity(this, 1, "Test-ShmLiveness", "Finding segments"))
        {
            IReadOnlyList<ShmSegment> segments = ParameterSetName == ResultSet
                ? Listed((LivenessResult ?? []).Select(r => r?.Segment))
                : SegmentsOfThisRecord(activity.Id);
            if (segments.Count == 0) return;
            activity.Update($"Probing {segments.Count} segment(s)");
            results = Run(cancel => _checker!.Check(segments, cancel));
        }
        foreach (var r in results)
        {
            WriteVerbose($"{r.Name}: {r.Verdict} ({r.Reason})");
            WriteObject(r);
        }
    }
}
