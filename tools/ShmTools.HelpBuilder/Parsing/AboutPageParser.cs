using Markdig.Syntax;
using ShmTools.HelpBuilder.Model;

namespace ShmTools.HelpBuilder.Parsing;

/// <summary>Reads an about_ topic: <c># about_Name</c>, then SHORT DESCRIPTION, LONG DESCRIPTION and further sections.</summary>
public static class AboutPageParser
{
    public static AboutTopic? Parse(string file, string text, HelpDiagnostics diagnostics)
    {
        var document = HelpMarkdown.Parse(text);
        var expectedName = Path.GetFileNameWithoutExtension(file);
        HelpMarkdown.CheckEmphasis(document, file, diagnostics);
        var title = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1);
        if (title == null)
        {
            diagnostics.Error(file, 1, $"no '# {expectedName}' title");
            return null;
        }
        var name = MarkdownText.Inline(title.Inline);
        bool ok = true;
        if (name != expectedName)
        {
            diagnostics.Error(file, HelpMarkdown.LineOf(title), $"the title '# {name}' does not match the file name (expected '# {expectedName}')");
            ok = false;
        }

        var sections = new List<AboutSection>();
        HeadingBlock? heading = null;
        var blocks = new List<Block>();
        void Flush()
        {
            if (heading != null)
                sections.Add(new AboutSection(heading.Level, MarkdownText.Inline(heading.Inline), MarkdownText.Paragraphs(blocks)));
            blocks = new List<Block>();
        }
        foreach (var block in document.SkipWhile(b => b != title).Skip(1))
        {
            if (block is HeadingBlock h && h.Level >= 2)
            {
                Flush();
                heading = h;
            }
            else if (block is HeadingBlock h1)
            {
                diagnostics.Error(file, HelpMarkdown.LineOf(h1), "an about_ topic has one '#' title only");
                ok = false;
            }
            else if (heading == null)
            {
                diagnostics.Error(file, HelpMarkdown.LineOf(block), "text before the first '## SHORT DESCRIPTION'");
                ok = false;
            }
            else blocks.Add(block);
        }
        Flush();

        foreach (var required in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION" })
        {
            var section = sections.FirstOrDefault(s => s.Level == 2 && s.Title == required);
            if (section == null)
            {
                diagnostics.Error(file, HelpMarkdown.LineOf(title), $"missing section '## {required}'");
                ok = false;
            }
        }
        if (ok && sections[0].Title != "SHORT DESCRIPTION")
        {
            diagnostics.Error(file, HelpMarkdown.LineOf(title), "the first section must be '## SHORT DESCRIPTION'");
            ok = false;
        }
        if (ok && sections[0].Paragraphs.Count == 0)
        {
            diagnostics.Error(file, HelpMarkdown.LineOf(title), "## SHORT DESCRIPTION is empty");
            ok = false;
        }
        return ok ? new AboutTopic(file, name, sections) : null;
    }
}
