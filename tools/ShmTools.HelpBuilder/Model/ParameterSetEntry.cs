namespace ShmTools.HelpBuilder.Model;

/// <summary>
/// A parameter's yaml block: how it binds in the parameter sets it names
/// (<c>(All)</c> for every set).
/// </summary>
public sealed record ParameterSetEntry
{
    public const string AllSets = "(All)";

    public required string Type { get; init; }
    public required IReadOnlyList<string> ParameterSets { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyList<string> AcceptedValues { get; init; } = [];
    public bool Required { get; init; }
    /// <summary>The 0-based position, or null for Named.</summary>
    public int? Position { get; init; }
    public string DefaultValue { get; init; } = "None";
    /// <summary>As written: <c>False</c>, <c>True (ByValue)</c>, <c>True (ByPropertyName)</c>, <c>True (ByPropertyName, ByValue)</c>.</summary>
    public string PipelineInput { get; init; } = "False";
    public bool Globbing { get; init; }
    public int Line { get; init; }

    public bool InAllSets => ParameterSets.Contains(AllSets);

    public bool ByValue => PipelineInput.Contains("ByValue", StringComparison.Ordinal);

    public bool ByPropertyName => PipelineInput.Contains("ByPropertyName", StringComparison.Ordinal);

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
}
