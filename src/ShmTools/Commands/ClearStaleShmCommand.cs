using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;

namespace ShmTools.Commands;

/// <summary>
/// Clear-StaleShm: removes stale segments and never anything live. The engine drives the whole
/// cleanup; this cmdlet lends it an approver (ShouldProcess: -WhatIf previews, -Confirm asks,
/// -Force skips the prompt) and writes each record as the engine decides it.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "StaleShm", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet, HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Clear-StaleShm.md")]
[OutputType(typeof(RemovalRecord))]
public sealed class ClearStaleShmCommand : SegmentJudgingCmdlet
{
    private const string ResultSet = "LivenessResult";
    private readonly List<LivenessResult> _results = new();
    private CleanupOptions? _options;

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
        _options = new CleanupOptions
        {
            IncludeOrphaned = IncludeOrphaned.IsPresent,
            OlderThan = MyInvocation.BoundParameters.ContainsKey(nameof(OlderThan)) ? OlderThan : null,
            AllUsers = AllUsers.IsPresent,
            LogPath = LogPath == null ? null : GetUnresolvedProviderPathFromPSPath(LogPath),
            Liveness = LivenessOptions,
        };
        try
        {
            _options.Validate();
        }
        catch (CleanupOptionsException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, null));
        }
    }

    protected override void ProcessRecord()
    {
        base.ProcessRecord();
        if (LivenessResult != null) _results.AddRange(LivenessResult.Where(r => Listed([r?.Segment]).Count > 0));
    }

    protected override void EndProcessing()
    {
        using var activity = Progress("Judging, re-checking and removing segments");
        var input = ParameterSetName == ResultSet ? CleanupInput.Of(_results) : CleanupInput.Of(Segments());
        try
        {
            using var cleaner = new StaleSegmentCleaner(_options!) { Notify = WriteWarning };
            var report = cleaner.Run(input, CleanupApprover.From(Approve, asksPerson: AsksPerson), Write, StopToken);
            WriteVerbose(report.Summary);
        }
        catch (AuditLogUnavailableException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "AuditLogUnavailable", ErrorCategory.WriteError, LogPath));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C: the batch under way was finished (nothing is left parked); the rest is untouched.
        }
    }

    /// <summary>
    /// ShouldProcess decides: under -WhatIf it previews (and prints "What if: ..."), a "no" is a
    /// decline. -Force only skips the prompt (ConfirmImpact is High), and never overrides -WhatIf.
    /// </summary>
    private Approval Approve(CleanupCandidate c)
    {
        if (NoPrompt && !WhatIfRequested) return Approval.Approve;
        if (ShouldProcess(c.Description, c.Question, CleanupCandidate.Caption, out var reason)) return Approval.Approve;
        return reason == ShouldProcessReason.WhatIf ? Approval.Preview : Approval.Decline;
    }

    /// <summary>-Force without -Confirm: nobody is asked.</summary>
    private bool NoPrompt => Force && !MyInvocation.BoundParameters.ContainsKey("Confirm");

    /// <summary>
    /// Whether ShouldProcess will put a question to a person, as PowerShell decides it: -Confirm
    /// says so either way; without it, this cmdlet's High impact is asked about unless
    /// $ConfirmPreference is None. A run nobody is asked in (-Force, -WhatIf, -Confirm:$false,
    /// $ConfirmPreference = 'None', as scheduled scripts run it) keeps one turn at /dev/shm from
    /// its judging to its last removal; one that asks lets go while it asks.
    /// </summary>
    private bool AsksPerson
    {
        get
        {
            if (NoPrompt || WhatIfRequested) return false;
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)) return LanguagePrimitives.IsTrue(confirm);
            return !(LanguagePrimitives.TryConvertTo<ConfirmImpact>(GetVariableValue("ConfirmPreference"), out var preference) && preference == ConfirmImpact.None);
        }
    }

    private bool WhatIfRequested => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
        ? LanguagePrimitives.IsTrue(w)
        : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    private void Write(RemovalRecord r)
    {
        switch (r.Action)
        {
            case CleanupAction.Failed:
                WriteError(new ErrorRecord(new IOException($"{r.DisplayPath}: {r.Error}"), "ShmRemovalFailed",
                    r.Error is { } e && (e.Contains("(EACCES)") || e.Contains("(EPERM)")) ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, r));
                break;
            case CleanupAction.Stranded:
                WriteError(new ErrorRecord(new IOException($"{r.DisplayPath}: {r.Error}"), "ShmSegmentStranded", ErrorCategory.ResourceExists, r));
                break;
            default:
                WriteVerbose($"{r.DisplayPath}: {r.Action} ({r.Reason})");
                break;
        }
        WriteObject(r);
    }
}
