using System.CommandLine;
using ShmTools.Core.Text;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools check</c>: the twin of <c>Get-ShmSegment | Test-ShmLiveness</c>.</summary>
public static class CheckVerb
{
    public static Command Create(Option<bool> json)
    {
        var filter = new SegmentFilterOptions();
        var liveness = new LivenessOptionsBinder();
        var command = new Command("check", "Judge each segment: Live, Stale, Orphaned or Unknown, with the evidence.");
        filter.AddTo(command);
        liveness.AddTo(command);
        command.SetAction(parse =>
        {
            var options = liveness.Bind(parse);
            var inventory = new ShmInventory().Scan(filter.Bind(parse) with { IgnoreInvisible = options.IgnoreInvisible, TurnWait = options.LockWait, Notify = Warnings.Tell });
            Warnings.Write(inventory);
            var results = new LivenessChecker(options) { Notify = Warnings.Tell }.Check(inventory.Segments);
            if (parse.GetValue(json))
                JsonOutput.Write(stream => LivenessJsonWriter.Write(stream, results));
            else
                Output.Stream(text => Output.WriteTable(text, ["VERDICT", "KIND", "NAME", "REASON"], results.Count,
                    i => [results[i].Verdict.ToString(), EnumWords.Word(results[i].Kind), results[i].DisplayName, results[i].Reason]));
            return ExitCodes.Success;
        });
        return command;
    }
}
