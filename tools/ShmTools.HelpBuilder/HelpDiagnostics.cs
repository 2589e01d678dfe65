namespace ShmTools.HelpBuilder;

/// <summary>The findings of one run, in the order they were made.</summary>
public sealed class HelpDiagnostics
{
    private readonly List<HelpDiagnostic> _all = new();

    public IReadOnlyList<HelpDiagnostic> All => _all;

    public bool HasErrors => _all.Any(d => d.Severity == HelpSeverity.Error);

    public void Error(string file, int line, string message) => _all.Add(new(HelpSeverity.Error, file, line, message));

    public void Warning(string file, int line, string message) => _all.Add(new(HelpSeverity.Warning, file, line, message));
}
