namespace ShmTools.HelpBuilder.Model;

/// <summary>One cmdlet's help page, as read from its markdown.</summary>
public sealed class CommandHelp
{
    public required string File { get; init; }
    public required string Name { get; init; }
    public int NameLine { get; init; }
    public IReadOnlyDictionary<string, string> FrontMatter { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Synopsis { get; init; } = [];
    /// <summary>The parameter sets named under SYNTAX (empty when the page shows a single unnamed set).</summary>
    public IReadOnlyList<SyntaxSetHelp> SyntaxSets { get; init; } = [];
    public IReadOnlyList<string> Description { get; init; } = [];
    public IReadOnlyList<ExampleHelp> Examples { get; init; } = [];
    public IReadOnlyList<ParameterHelp> Parameters { get; init; } = [];
    public IReadOnlyList<TypeHelp> Inputs { get; init; } = [];
    public IReadOnlyList<TypeHelp> Outputs { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<RelatedLink> RelatedLinks { get; init; } = [];

    public string Verb => Name.Split('-', 2)[0];
    public string Noun => Name.Split('-', 2).ElementAtOrDefault(1) ?? "";

    public string? OnlineVersion =>
        FrontMatter.TryGetValue("online version", out var v) && v.Length > 0 ? v : null;
}
