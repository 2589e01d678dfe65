using System.Text.RegularExpressions;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>
/// What a docs/help page says, read line by line straight from the markdown (independently of the
/// generator that builds the module's help), as plain text without markdown marks.
/// </summary>
public sealed partial class HelpPageText
{
    public required string Name { get; init; }
    public required string Synopsis { get; init; }
    public required List<string> Description { get; init; }
    public required List<(string Code, string Remarks)> Examples { get; init; }
    public required Dictionary<string, string> Parameters { get; init; }

    public static string DocsDirectory => Path.Combine(Engine.RepoRoot, "docs", "help");

    public static IEnumerable<string> CommandPages() =>
        Directory.GetFiles(DocsDirectory, "*-*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static HelpPageText Read(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(DocsDirectory, name + ".md"));
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        bool inFence = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal)) sections[line[3..].Trim()] = current = [];
            else current?.Add(line);
        }

        var examples = new List<(string, string)>();
        foreach (var block in Split(sections["EXAMPLES"], "### "))
        {
            int open = block.FindIndex(l => l.StartsWith("```", StringComparison.Ordinal));
            int close = block.FindIndex(open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            examples.Add((string.Join("\n", block[(open + 1)..close]), Plain(block[(close + 1)..])));
        }
        var parameters = new Dictionary<string, string>();
        foreach (var block in Split(sections["PARAMETERS"], "### -"))
        {
            int yaml = block.FindIndex(l => l == "```yaml");
            parameters[block[0]] = Plain(block[1..yaml]);
        }
        return new HelpPageText
        {
            Name = name,
            Synopsis = Plain(sections["SYNOPSIS"]),
            Description = Paragraphs(sections["DESCRIPTION"]).ToList(),
            Examples = examples,
            Parameters = parameters,
        };
    }

    /// <summary>The about topic's paragraphs, plain.</summary>
    public static List<string> AboutParagraphs(string name) =>
        Paragraphs(File.ReadAllLines(Path.Combine(DocsDirectory, name + ".md")).Where(l => !l.StartsWith('#')).ToList())
            .Select(p => p.StartsWith("- ", StringComparison.Ordinal) ? p[2..] : p).ToList();

    /// <summary>Text as the console shows it with every space and line break dropped: wrapping and indenting cannot change it.</summary>
    public static string Squeeze(string text) => Whitespace().Replace(text, "");

    private static IEnumerable<List<string>> Split(List<string> lines, string prefix)
    {
        List<string>? block = null;
        foreach (var line in lines)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (block != null) yield return block;
                block = [line[prefix.Length..].Trim()];
            }
            else block?.Add(line);
        }
        if (block != null) yield return block;
    }

    private static IEnumerable<string> Paragraphs(List<string> lines)
    {
        var paragraph = new List<string>();
        foreach (var line in lines.Append(""))
        {
            bool bullet = line.StartsWith("- ", StringComparison.Ordinal);
            if ((line.Trim().Length == 0 || bullet) && paragraph.Count > 0)
            {
                yield return Plain(paragraph);
                paragraph.Clear();
            }
            if (line.Trim().Length > 0) paragraph.Add(line);
        }
    }

    private static string Plain(IEnumerable<string> lines)
    {
        var text = string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        text = Link().Replace(text, "$1");
        return text.Replace("`", "").Replace("**", "");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();
}
