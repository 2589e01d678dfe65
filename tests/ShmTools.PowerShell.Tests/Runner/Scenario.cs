namespace ShmTools.PowerShell.Tests.Runner;

/// <summary>
/// What one scenario process does: steps run in order, each in a named runspace of that process
/// (created on first use from <c>InitialSessionState.CreateDefault2()</c>). Every runspace has
/// <c>$ModulePath</c> (the built manifest) and <c>$ModuleFolder</c>; nothing is imported unless a step
/// says so, as in a fresh pwsh.
/// </summary>
public sealed record Scenario
{
    public List<ScenarioStep> Steps { get; init; } = [];

    /// <summary>Console width, as the buffer width of the host (80 by default, as in most terminals).</summary>
    public int Width { get; init; } = 80;
}

/// <summary>One script, typed into one runspace.</summary>
public sealed record ScenarioStep
{
    public string Runspace { get; init; } = "main";

    public string Script { get; init; } = "";

    /// <summary>Answers to prompts, in order: for PromptForChoice a label ("yes", "no", "all" = Yes to All,
    /// "none" = No to All) or an index; for Read-Host and mandatory parameters the text. None left: the
    /// host throws, as a non-interactive pwsh does.</summary>
    public List<string> Answers { get; init; } = [];

    /// <summary>Render the output through Out-Default at <see cref="Scenario.Width"/> columns.</summary>
    public bool Render { get; init; } = true;

    /// <summary>Stop the pipeline this long after it started, as Ctrl-C does (null: run to the end).</summary>
    public int? StopAfterMilliseconds { get; init; }

    /// <summary>Close (dispose) the runspace after this step.</summary>
    public bool Close { get; init; }
}
