namespace ShmTools.HelpBuilder.Model;

/// <summary>An input or output type (<c>### Type.Name</c> under INPUTS or OUTPUTS) and what it says about it.</summary>
public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description, int Line);
