using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using ShmTools.HelpBuilder.Model;

namespace ShmTools.HelpBuilder.Parsing;

/// <summary>
/// Reads a cmdlet page in the platyPS 0.14 schema: front matter, <c># Verb-Noun</c>, then the
/// sections in their fixed order. Every problem is reported with its file and line; the page is
/// returned only when it has none.
/// </summary>
public static class CommandPageParser
{
    public static readonly string[] Sections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static CommandHelp? Parse(string file, string text, HelpDiagnostics diagnostics)
    {
        int errorsBefore = diagnostics.All.Count(d => d.Severity == HelpSeverity.Error);
        var document = HelpMarkdown.Parse(text);
        var frontMatter = HelpMarkdown.FrontMatter(document);
        HelpMarkdown.CheckEmphasis(document, file, diagnostics);
        var expectedName = Path.GetFileNameWithoutExtension(file);

        var title = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1);
        if (title == null)
        {
            diagnostics.Error(file, 1, $"no '# {expectedName}' title");
            return null;
        }
        var name = MarkdownText.Inline(title.Inline);
        if (name != expectedName)
            diagnostics.Error(file, HelpMarkdown.LineOf(title), $"the title '# {name}' does not match the file name (expected '# {expectedName}')");
        if (!name.Contains('-'))
            diagnostics.Error(file, HelpMarkdown.LineOf(title), $"the title '# {name}' is not a Verb-Noun command name");

        var sections = new Dictionary<string, (HeadingBlock Heading, List<Block> Blocks)>();
        int lastIndex = -1;
        foreach (var (heading, blocks) in HelpMarkdown.Split(document, 2))
        {
            var sectionName = MarkdownText.Inline(heading.Inline);
            int index = Array.IndexOf(Sections, sectionName);
            int line = HelpMarkdown.LineOf(heading);
            if (index < 0)
                diagnostics.Error(file, line, $"unknown section '## {sectionName}' (expected, in order: {string.Join(", ", Sections)})");
            else if (!sections.TryAdd(sectionName, (heading, blocks)))
                diagnostics.Error(file, line, $"section '## {sectionName}' appears twice");
            else if (index < lastIndex)
                diagnostics.Error(file, line, $"section '## {sectionName}' is out of order (expected: {string.Join(", ", Sections)})");
            lastIndex = Math.Max(lastIndex, index);
        }
        foreach (var missing in Sections.Where(s => !sections.ContainsKey(s)))
            diagnostics.Error(file, HelpMarkdown.LineOf(title), $"missing section '## {missing}'");
        if (sections.Count < Sections.Length) return null;

        var page = new CommandHelp
        {
            File = file,
            Name = name,
            NameLine = HelpMarkdown.LineOf(title),
            FrontMatter = frontMatter,
            Synopsis = Required(file, "SYNOPSIS", sections["SYNOPSIS"], diagnostics),
            SyntaxSets = SyntaxSets(sections["SYNTAX"].Blocks),
            Description = Required(file, "DESCRIPTION", sections["DESCRIPTION"], diagnostics),
            Examples = Examples(file, sections["EXAMPLES"], diagnostics),
            Parameters = Parameters(file, sections["PARAMETERS"], diagnostics),
            Inputs = Types(file, "INPUTS", sections["INPUTS"], diagnostics),
            Outputs = Types(file, "OUTPUTS", sections["OUTPUTS"], diagnostics),
            Notes = MarkdownText.Paragraphs(sections["NOTES"].Blocks),
            RelatedLinks = Links(sections["RELATED LINKS"].Blocks),
        };
        if (!sections["SYNTAX"].Blocks.OfType<FencedCodeBlock>().Any())
            diagnostics.Error(file, HelpMarkdown.LineOf(sections["SYNTAX"].Heading), "## SYNTAX shows no syntax code block");
        return diagnostics.All.Count(d => d.Severity == HelpSeverity.Error) == errorsBefore ? page : null;
    }

    private static List<string> Required(string file, string section, (HeadingBlock Heading, List<Block> Blocks) s, HelpDiagnostics diagnostics)
    {
        var paragraphs = MarkdownText.Paragraphs(s.Blocks);
        if (paragraphs.Count == 0)
            diagnostics.Error(file, HelpMarkdown.LineOf(s.Heading), $"## {section} is empty");
        return paragraphs;
    }

    private static List<SyntaxSetHelp> SyntaxSets(List<Block> blocks) =>
        blocks.OfType<HeadingBlock>().Where(h => h.Level == 3).Select(h =>
        {
            var text = MarkdownText.Inline(h.Inline);
            bool isDefault = text.EndsWith("(Default)", StringComparison.Ordinal);
            var setName = isDefault ? text[..^"(Default)".Length].Trim() : text;
            return new SyntaxSetHelp(setName, isDefault, HelpMarkdown.LineOf(h));
        }).ToList();

    private static List<ExampleHelp> Examples(string file, (HeadingBlock Heading, List<Block> Blocks) s, HelpDiagnostics diagnostics)
    {
        var examples = new List<ExampleHelp>();
        var headings = HelpMarkdown.Split(s.Blocks, 3);
        if (headings.Count == 0)
            diagnostics.Error(file, HelpMarkdown.LineOf(s.Heading), "## EXAMPLES has no '### Example' with a code block");
        foreach (var (heading, blocks) in headings)
        {
            var title = MarkdownText.Inline(heading.Inline);
            var code = blocks.OfType<FencedCodeBlock>().ToList();
            if (code.Count == 0)
            {
                diagnostics.Error(file, HelpMarkdown.LineOf(heading), $"example '{title}' has no code block");
                continue;
            }
            var intro = MarkdownText.Paragraphs(blocks.TakeWhile(b => b is not FencedCodeBlock));
            var remarks = MarkdownText.Paragraphs(blocks.SkipWhile(b => b is not FencedCodeBlock).Where(b => b is not FencedCodeBlock));
            var text = string.Join("\n\n", code.Select(MarkdownText.CodeText));
            if (text.Trim().Length == 0)
                diagnostics.Error(file, HelpMarkdown.LineOf(code[0]), $"example '{title}' has an empty code block");
            examples.Add(new ExampleHelp(title, text, intro.Concat(remarks).ToList(), HelpMarkdown.LineOf(heading), HelpMarkdown.LineOf(code[0])));
        }
        return examples;
    }

    private static List<ParameterHelp> Parameters(string file, (HeadingBlock Heading, List<Block> Blocks) s, HelpDiagnostics diagnostics)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var (heading, blocks) in HelpMarkdown.Split(s.Blocks, 3))
        {
            var title = MarkdownText.Inline(heading.Inline);
            int line = HelpMarkdown.LineOf(heading);
            if (title is "CommonParameters" or "WorkflowCommonParameters") continue;
            if (!title.StartsWith('-') || title.Length < 2 || title.Contains(' '))
            {
                diagnostics.Error(file, line, $"'### {title}' under ## PARAMETERS is not a parameter ('### -Name') or CommonParameters");
                continue;
            }
            var name = title[1..];
            if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                diagnostics.Error(file, line, $"parameter -{name} is described twice");
            var yaml = blocks.OfType<FencedCodeBlock>().Where(f => f.Info == "yaml").ToList();
            if (yaml.Count == 0)
            {
                diagnostics.Error(file, line, $"parameter -{name} has no yaml block (Type, Parameter Sets, Required, Position, ...)");
                continue;
            }
            var description = MarkdownText.Paragraphs(blocks.Where(b => !(b is FencedCodeBlock f && f.Info == "yaml")));
            if (description.Count == 0)
                diagnostics.Error(file, line, $"parameter -{name} has no description");
            var entries = yaml.Select(y => ParameterYamlParser.Parse(y, name, file, diagnostics)).OfType<ParameterSetEntry>().ToList();
            if (entries.Count == yaml.Count)
                parameters.Add(new ParameterHelp(name, description, entries, line));
        }
        return parameters;
    }

    private static List<TypeHelp> Types(string file, string section, (HeadingBlock Heading, List<Block> Blocks) s, HelpDiagnostics diagnostics)
    {
        var types = HelpMarkdown.Split(s.Blocks, 3)
            .Select(t => new TypeHelp(MarkdownText.Inline(t.Heading.Inline), MarkdownText.Paragraphs(t.Blocks), HelpMarkdown.LineOf(t.Heading)))
            .ToList();
        if (types.Count == 0)
            diagnostics.Error(file, HelpMarkdown.LineOf(s.Heading), $"## {section} names no type ('### Type.Name', or '### None')");
        return types;
    }

    private static List<RelatedLink> Links(List<Block> blocks)
    {
        var links = new List<RelatedLink>();
        foreach (var paragraph in blocks.OfType<ParagraphBlock>())
        {
            var found = paragraph.Inline?.Descendants<LinkInline>().Where(l => !l.IsImage).ToList() ?? [];
            if (found.Count == 0)
            {
                var text = MarkdownText.Inline(paragraph.Inline);
                if (text.Length > 0) links.Add(new RelatedLink(text, ""));
                continue;
            }
            foreach (var link in found)
            {
                var text = MarkdownText.Inline(link);
                var url = link.Url ?? "";
                bool topic = !url.Contains("://", StringComparison.Ordinal);
                links.Add(new RelatedLink(text.Length > 0 ? text : url, topic ? "" : url));
            }
        }
        return links;
    }
}
