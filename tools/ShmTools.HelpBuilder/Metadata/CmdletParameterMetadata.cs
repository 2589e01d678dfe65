namespace ShmTools.HelpBuilder.Metadata;

/// <summary>A cmdlet parameter: its type, aliases, wildcard support and one binding per [Parameter] attribute.</summary>
public sealed record CmdletParameterMetadata(
    string Name,
    string TypeName,
    string TypeFullName,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    IReadOnlyList<string> EnumValues,
    IReadOnlyList<ParameterBinding> Bindings);
