using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ShmTools.HelpBuilder.Parsing;

/// <summary>
/// Markdown blocks as the plain paragraphs a console shows: emphasis and code marks dropped,
/// links as their text, soft line breaks joined, list items as "- item" paragraphs.
/// </summary>
public static class MarkdownText
{
    public static List<string> Paragraphs(IEnumerable<Block> blocks)
    {
        var result = new List<string>();
        foreach (var block in blocks) Add(block, result);
        return result;
    }

    private static void Add(Block block, List<string> result)
    {
        switch (block)
        {
            case ParagraphBlock p:
                var text = Inline(p.Inline);
                if (text.Length > 0) result.Add(text);
                break;
            case ListBlock list:
                int n = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var inner = Paragraphs(item);
                    string bullet = list.IsOrdered ? $"{n++}. " : "- ";
                    result.Add(bullet + string.Join(" ", inner));
                }
                break;
            case FencedCodeBlock code:
                result.Add(CodeText(code));
                break;
            case CodeBlock code:
                result.Add(CodeText(code));
                break;
            case QuoteBlock quote:
                result.AddRange(Paragraphs(quote));
                break;
            case HeadingBlock heading:
                result.Add(Inline(heading.Inline));
                break;
            case ContainerBlock container:
                result.AddRange(Paragraphs(container));
                break;
        }
    }

    /// <summary>The code of a code block, exactly as typed (no trailing newline).</summary>
    public static string CodeText(LeafBlock code)
    {
        var lines = code.Lines.Lines.Take(code.Lines.Count).Select(l => l.Slice.ToString());
        return string.Join("\n", lines).TrimEnd('\n', '\r');
    }

    public static string Inline(ContainerInline? inline)
    {
        if (inline == null) return "";
        var sb = new StringBuilder();
        Append(inline, sb);
        return Collapse(sb.ToString());
    }

    private static void Append(Inline inline, StringBuilder sb)
    {
        switch (inline)
        {
            case LiteralInline literal:
                sb.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                sb.Append(code.Content);
                break;
            case LineBreakInline br:
                sb.Append(br.IsHard ? "\n" : " ");
                break;
            case AutolinkInline auto:
                sb.Append(auto.Url);
                break;
            case HtmlEntityInline entity:
                sb.Append(entity.Transcoded.ToString());
                break;
            case HtmlInline:
                break;
            case DelimiterInline delimiter:
                // An unmatched "[" (e.g. the interval "[lower, upper)") stays a delimiter: it is text.
                sb.Append(delimiter.ToLiteral());
                foreach (var child in delimiter) Append(child, sb);
                break;
            case ContainerInline container:
                foreach (var child in container) Append(child, sb);
                break;
        }
    }

    private static string Collapse(string text)
    {
        var lines = text.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        return string.Join("\n", lines).Trim();
    }
}
