using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ShmTools.HelpBuilder.Parsing;

/// <summary>Parsing a help page with Markdig, front matter included, and splitting it at headings.</summary>
public static class HelpMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePreciseSourceLocation().Build();

    public static MarkdownDocument Parse(string text) => Markdown.Parse(text, Pipeline);

    /// <summary>The "key: value" lines of the front matter (keys lower-cased), or an empty map.</summary>
    public static Dictionary<string, string> FrontMatter(MarkdownDocument document)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var yaml = document.Descendants<YamlFrontMatterBlock>().FirstOrDefault();
        if (yaml == null) return map;
        foreach (var line in MarkdownText.CodeText(yaml).Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) map[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return map;
    }

    /// <summary>The blocks after each heading of the given level, up to the next heading of that level or above.</summary>
    public static List<(HeadingBlock Heading, List<Block> Blocks)> Split(IEnumerable<Block> blocks, int level)
    {
        var sections = new List<(HeadingBlock, List<Block>)>();
        List<Block>? current = null;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock h && h.Level <= level)
            {
                if (h.Level == level)
                {
                    current = new List<Block>();
                    sections.Add((h, current));
                }
                else current = null;
                continue;
            }
            current?.Add(block);
        }
        return sections;
    }

    /// <summary>
    /// Warns of emphasis around text with no letter or digit: almost always the stars of a path
    /// or wildcard (<c>containers/*/*.cache</c>) that markdown ate; such text belongs in backticks.
    /// </summary>
    public static void CheckEmphasis(MarkdownDocument document, string file, HelpDiagnostics diagnostics)
    {
        foreach (var emphasis in document.Descendants<EmphasisInline>())
        {
            var text = MarkdownText.Inline(emphasis);
            if (!text.Any(char.IsLetterOrDigit))
                diagnostics.Warning(file, emphasis.Line + 1,
                    $"'{emphasis.DelimiterChar}' read as emphasis around '{text}': write paths and wildcards in backticks");
        }
    }

    /// <summary>1-based line of a block.</summary>
    public static int LineOf(Block block) => block.Line + 1;

    /// <summary>1-based line of the i-th content line of a fenced code block.</summary>
    public static int LineOf(FencedCodeBlock fence, int contentLine) => fence.Line + 2 + contentLine;
}
