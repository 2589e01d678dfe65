using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>
/// Test-ShmLiveness: is each segment still used? Live, Stale, Orphaned or Unknown, with the
/// evidence. Piped segments are judged in batches (<see cref="BatchSize"/>, and what is left at
/// the end of input), so segments that arrive one record at a time, as Get-ShmSegment writes
/// them, share one handshake wait per batch instead of one each; a -Name scan or an array is
/// judged as it comes.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ShmLiveness", DefaultParameterSetName = NameSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Test-ShmLiveness.md")]
[OutputType(typeof(LivenessResult))]
public sealed class TestShmLivenessCommand : SegmentJudgingCmdlet
{
    /// <summary>Piped segments judged together: one handshake wait covers them all.</summary>
    public const int BatchSize = 256;

    private const string ResultSet = "LivenessResult";
    private LivenessChecker? _checker;
    private readonly List<ShmSegment> _pending = new();

    /// <summary>Earlier results: their segments are judged again, now.</summary>
    [Parameter(ParameterSetName = ResultSet, Mandatory = true, ValueFromPipeline = true)]
    public LivenessResult[]? LivenessResult { get; set; }

    protected override void BeginProcessing() => _checker = new LivenessChecker(LivenessOptions);

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ResultSet)
        {
            _pending.AddRange(Listed((LivenessResult ?? []).Select(r => r?.Segment)));
        }
        else if (ParameterSetName == InputSet)
        {
            _pending.AddRange(SegmentsOfThisRecord());
        }
        else
        {
            // A scan by name is complete in itself: judge it now, with whatever was piped before.
            using (var activity = new CmdletActivity(this, 1, "Test-ShmLiveness", "Finding segments"))
                _pending.AddRange(SegmentsOfThisRecord(activity.Id));
            Judge();
            return;
        }
        if (_pending.Count >= BatchSize) Judge();
    }

    protected override void EndProcessing() => Judge();

    private void Judge()
    {
        if (_pending.Count == 0) return;
        var segments = _pending.ToArray();
        _pending.Clear();
        IReadOnlyList<LivenessResult> results;
        using (var activity = new CmdletActivity(this, 1, "Test-ShmLiveness", $"Probing {segments.Length} segment(s)"))
            results = Run(cancel => _checker!.Check(segments, cancel));
        foreach (var r in results)
        {
            WriteVerbose($"{r.Name}: {r.Verdict} ({r.Reason})");
            WriteObject(r);
        }
    }
}
