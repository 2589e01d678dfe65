namespace ShmTools.HelpBuilder;

/// <summary>One finding about a help page, at a file and a 1-based line.</summary>
public sealed record HelpDiagnostic(HelpSeverity Severity, string File, int Line, string Message)
{
    /// <summary>The canonical form MSBuild recognises, so the build names the file and line.</summary>
    public override string ToString() =>
        $"{File}({Line}): {(Severity == HelpSeverity.Error ? "error" : "warning")} SHMHELP: {Message}";
}
