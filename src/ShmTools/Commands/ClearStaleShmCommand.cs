using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Commands;

/// <summary>
/// Clear-StaleShm: removes stale segments and never anything live. Each candidate is confirmed
/// (ShouldProcess) one by one, then all confirmed ones are re-checked from scratch and removed.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "StaleShm", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Clear-StaleShm.md")]
[OutputType(typeof(RemovalRecord))]
public sealed class ClearStaleShmCommand : SegmentJudgingCmdlet
{
    private const string ResultSet = "LivenessResult";
    private readonly List<LivenessResult> _results = new();

    [Parameter(ParameterSetName = ResultSet, Mandatory = true, ValueFromPipeline = true)]
    public LivenessResult[]? LivenessResult { get; set; }

    [Parameter]
    public SwitchParameter IncludeOrphaned { get; set; }

    [Parameter]
    [DurationTransformation]
    public TimeSpan OlderThan { get; set; }

    [Parameter]
    public SwitchParameter AllUsers { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

    protected override void BeginProcessing()
    {
        if (IncludeOrphaned && !MyInvocation.BoundParameters.ContainsKey(nameof(OlderThan)))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-IncludeOrphaned needs -OlderThan: orphans are removed only when untouched for long enough."),
                "OrphanedNeedsOlderThan", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        base.ProcessRecord();
        if (LivenessResult != null) _results.AddRange(LivenessResult.Where(r => Listed([r?.Segment]).Count > 0));
    }

    protected override void EndProcessing()
    {
        var options = new CleanupOptions
        {
            IncludeOrphaned = IncludeOrphaned.IsPresent,
            OlderThan = MyInvocation.BoundParameters.ContainsKey(nameof(OlderThan)) ? OlderThan : null,
            AllUsers = AllUsers.IsPresent,
            LogPath = LogPath == null ? null : GetUnresolvedProviderPathFromPSPath(LogPath),
            Liveness = LivenessOptions,
        };
        StaleSegmentCleaner cleaner;
        try
        {
            cleaner = new StaleSegmentCleaner(options);
        }
        catch (AuditLogUnavailableException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "AuditLogUnavailable", ErrorCategory.OpenError, LogPath));
            return;
        }
        using (cleaner)
        using (var activity = new CmdletActivity(this, 1, "Clear-StaleShm", "Judging segments"))
        {
            var candidates = ParameterSetName == ResultSet ? cleaner.Select(_results) : cleaner.Select(Segments());
            foreach (var kept in cleaner.Report.Kept) WriteObject(kept);

            bool whatIf = IsWhatIf();
            bool skipPrompt = Force.IsPresent && !MyInvocation.BoundParameters.ContainsKey("Confirm");
            var approved = new List<LivenessResult>();
            foreach (var c in candidates)
            {
                string target = $"{c.DisplayPath} ({c.Kind}, {ByteSize.Format(c.Segment.ResidentBytes)})";
                string action = $"Remove {c.Verdict.ToString().ToLowerInvariant()} shared memory: {c.Reason}";
                if (whatIf)
                {
                    ShouldProcess(target, action); // prints "What if: ..."; -Force never overrides it
                    cleaner.Decline(c, preview: true);
                }
                else if (skipPrompt || ShouldProcess(target, action))
                    approved.Add(c);
                else
                    WriteObject(cleaner.Decline(c, preview: false));
            }
            if (whatIf) return;

            activity.Update($"Re-checking and removing {approved.Count} segment(s)");
            foreach (var r in cleaner.Remove(approved))
            {
                if (r.Action == CleanupAction.Failed)
                    WriteError(new ErrorRecord(new IOException($"{r.DisplayPath}: {r.Error}"), "ShmRemovalFailed", ErrorCategory.WriteError, r));
                else
                    WriteVerbose($"{r.DisplayPath}: {r.Action} ({r.Reason})");
                WriteObject(r);
            }
            activity.Dispose();
            var report = cleaner.Report;
            WriteVerbose($"{report.Removed.Count()} removed, {report.Kept.Count()} kept, {report.Failed.Count()} failed; freed {ByteSize.Format(report.BytesFreed)}.");
        }
    }

    private bool IsWhatIf()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)) return w is SwitchParameter s ? s.IsPresent : w is true;
        return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }
}
