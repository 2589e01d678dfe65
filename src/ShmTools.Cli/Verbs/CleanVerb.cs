using System.Runtime.InteropServices;
using System.CommandLine;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools clean</c>: the twin of Clear-StaleShm. A preview unless --yes.</summary>
public static class CleanVerb
{
    public static Command Create(Option<bool> json)
    {
        var filter = new SegmentFilterOptions();
        var liveness = new LivenessOptionsBinder();
        var yes = new Option<bool>("--yes") { Description = "Really remove. Without it, clean only says what it would remove." };
        var orphaned = new Option<bool>("--include-orphaned") { Description = "Also remove Orphaned segments (needs --older-than)." };
        var olderThan = new Option<string?>("--older-than") { Description = "Only segments untouched for this long (30m, 24h, 7d)." };
        var allUsers = new Option<bool>("--all-users") { Description = "Also other users' segments (given the permission)." };
        var log = new Option<string?>("--log") { Description = "Append one JSON line per decision to this file (an intent line, on disk, before each removal)." };
        var command = new Command("clean", "Remove stale segments through the removal protocol (park, one holder pass, unlink or put back). Dry run unless --yes.");
        filter.AddTo(command);
        liveness.AddTo(command);
        foreach (var o in new Option[] { yes, orphaned, olderThan, allUsers, log }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var options = new CleanupOptions
            {
                IncludeOrphaned = parse.GetValue(orphaned),
                OlderThan = LivenessOptionsBinder.Time(parse.GetValue(olderThan), "--older-than"),
                AllUsers = parse.GetValue(allUsers),
                LogPath = parse.GetValue(log),
                Liveness = liveness.Bind(parse),
            };
            bool asJson = parse.GetValue(json);
            var approver = parse.GetValue(yes) ? CleanupApprover.ApproveAll : CleanupApprover.PreviewAll;
            CleanupReport report;
            // SIGTERM (timeout, systemd, Kubernetes) and SIGINT stop the run after the batch under
            // way, so nothing is left parked under a quarantine name.
            using var stop = new CancellationTokenSource();
            int signal = 0;
            void Stop(PosixSignalContext c, int number) { c.Cancel = true; signal = number; stop.Cancel(); }
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, 15));
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, 2));
            var done = new List<RemovalRecord>();
            using (var cleaner = new StaleSegmentCleaner(options) { Notify = Warnings.Tell, Scanned = Warnings.Write })
            {
                var query = filter.Bind(parse) with { IgnoreInvisible = options.Liveness.IgnoreInvisible };
                try
                {
                    report = cleaner.Run(CleanupInput.Scan(query), approver, done.Add, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"shmtools: stopped by {(signal == 15 ? "SIGTERM" : "SIGINT")} after the batch under way: " +
                        $"{done.Count(r => r.Action == CleanupAction.Removed)} removed, nothing left parked{(options.LogPath != null ? "; every decision is in the audit log" : "")}.");
                    return 128 + signal;
                }
            }
            // The exit code is the cleanup's, even when the reader stops reading early (`| head`).
            int code = report.Failed.Any() || report.Stranded.Any() ? ExitCodes.SomeItemsFailed : ExitCodes.Success;
            try
            {
                if (asJson)
                    JsonOutput.Write(stream => CleanupJsonWriter.Write(stream, report));
                else
                    Console.Out.Write(Render(report));
            }
            catch (ReaderGoneException)
            {
            }
            return code;
        });
        return command;
    }

    private static string Render(CleanupReport report) =>
        Output.Table(["ACTION", "VERDICT", "BYTES", "NAME", "REASON"],
            report.Records.Select(r => (IReadOnlyList<string>)[EnumWords.Word(r.Action), r.Verdict.ToString(), ByteSize.Format(r.BytesFreed), r.DisplayName, r.Error ?? r.Reason]))
        + report.Summary + (report.DryRun ? " Use --yes to remove." : "") + "\n";
}
