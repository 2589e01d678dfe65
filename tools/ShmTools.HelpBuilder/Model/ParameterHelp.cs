namespace ShmTools.HelpBuilder.Model;

/// <summary>One <c>### -Name</c> entry: its description and one attribute block per group of parameter sets.</summary>
public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterSetEntry> Entries, int Line);
