using System.Management.Automation;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>Test-ShmLiveness: is each segment still used? Live, Stale, Orphaned or Unknown, with the evidence.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ShmLiveness", DefaultParameterSetName = NameSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Test-ShmLiveness.md")]
[OutputType(typeof(LivenessResult))]
public sealed class TestShmLivenessCommand : SegmentJudgingCmdlet
{
    protected override void EndProcessing()
    {
        var segments = Segments();
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
