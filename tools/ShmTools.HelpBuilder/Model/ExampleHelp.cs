namespace ShmTools.HelpBuilder.Model;

/// <summary>One example: its title, the code as typed, and the prose after it.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks, int Line, int CodeLine);
