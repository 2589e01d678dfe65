namespace ShmTools.HelpBuilder.Model;

/// <summary>A link under RELATED LINKS; Uri is empty for a link to another help topic.</summary>
public sealed record RelatedLink(string Text, string Uri);
