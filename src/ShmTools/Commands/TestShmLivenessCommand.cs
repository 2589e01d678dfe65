using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>Test-ShmLiveness: is each segment still used? Live, Stale, Orphaned or Unknown, with the evidence.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ShmLiveness", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LivenessResult))]
public sealed class TestShmLivenessCommand : SegmentJudgingCmdlet
{
    protected override void EndProcessing()
    {
        IReadOnlyList<LivenessResult> results;
        using (var activity = new CmdletActivity(this, 1, "Test-ShmLiveness", "Finding segments"))
        {
            var segments = Segments(activity.Id);
            activity.Update($"Probing {segments.Count} segment(s)");
            results = new LivenessChecker(LivenessOptions).Check(segments);
        }
        foreach (var r in results)
        {
            WriteVerbose($"{r.Name}: {r.Verdict} ({r.Reason})");
            WriteObject(r);
        }
    }
}
