namespace ShmTools.HelpBuilder.Model;

/// <summary>A heading of an about_ topic (level 2 or 3) and its paragraphs.</summary>
public sealed record AboutSection(int Level, string Title, IReadOnlyList<string> Paragraphs);
