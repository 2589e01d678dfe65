namespace ShmTools.HelpBuilder.Model;

/// <summary>A parameter set heading under SYNTAX (<c>### Name (Default)</c>).</summary>
public sealed record SyntaxSetHelp(string Name, bool IsDefault, int Line);
