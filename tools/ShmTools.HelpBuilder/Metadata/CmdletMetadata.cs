namespace ShmTools.HelpBuilder.Metadata;

/// <summary>What the cmdlet class declares: its name, parameter sets, parameters, HelpUri and output types.</summary>
public sealed record CmdletMetadata(
    string Name,
    string ClassName,
    bool SupportsShouldProcess,
    string? DefaultParameterSet,
    string? HelpUri,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<CmdletParameterMetadata> Parameters)
{
    public const string AllSets = "__AllParameterSets";

    /// <summary>The named parameter sets (none when every parameter is in all sets).</summary>
    public IReadOnlyList<string> ParameterSets =>
        Parameters.SelectMany(p => p.Bindings).Select(b => b.ParameterSet).Where(s => s != AllSets).Distinct().ToList();
}
