namespace ShmTools.PowerShell.Tests.Runner;

/// <summary>What a scenario process reports: one <see cref="StepResult"/> per step.</summary>
public sealed record ScenarioResult
{
    public List<StepResult> Steps { get; init; } = [];

    /// <summary>A failure of the harness itself (not of the script), e.g. a runspace that would not open.</summary>
    public string? HarnessError { get; init; }
}

/// <summary>What the user saw and got from one step.</summary>
public sealed record StepResult
{
    /// <summary>The console text: output rendered by Out-Default, as the user sees it.</summary>
    public string Console { get; init; } = "";

    public List<OutputObject> Objects { get; init; } = [];

    /// <summary>Error records: those written to the error stream and a terminating one, in order.</summary>
    public List<ErrorInfo> Errors { get; init; } = [];

    /// <summary>Every record in <c>$Error</c> after the step (also silenced ones and errors inside format views).</summary>
    public List<ErrorInfo> ErrorVariable { get; init; } = [];

    public List<string> Warnings { get; init; } = [];

    public List<string> Verbose { get; init; } = [];

    public List<ProgressInfo> Progress { get; init; } = [];

    public List<PromptInfo> Prompts { get; init; } = [];

    /// <summary>Lines the host was asked to write outside Out-Default (Write-Host, error views).</summary>
    public string HostText { get; init; } = "";

    /// <summary>With <see cref="ScenarioStep.StopAfterMilliseconds"/>: how long the stop took, from the request until the pipeline ended.</summary>
    public double? StopMilliseconds { get; init; }
}

/// <summary>An output object as PowerShell presents it: its type names, ToString and property values as text.</summary>
public sealed record OutputObject(List<string> TypeNames, string Text, Dictionary<string, string?> Properties);

public sealed record ErrorInfo(string FullyQualifiedErrorId, string Category, string Message, string? TargetType, bool Terminating, string? ExceptionType);

public sealed record ProgressInfo(long SourceId, int ActivityId, int ParentActivityId, string Activity, string? Status, string RecordType, int PercentComplete);

public sealed record PromptInfo(string Kind, string? Caption, string? Message, string? Answer);
