namespace ShmTools.HelpBuilder.Model;

/// <summary>An about_ topic: its name and its sections in order.</summary>
public sealed record AboutTopic(string File, string Name, IReadOnlyList<AboutSection> Sections);
