namespace ShmTools.PowerShell.Tests.Support;

/// <summary>A code block a user may copy from the docs: where it is, and the code as typed.</summary>
public sealed record DocExample(string Source, int Line, string Code)
{
    public override string ToString() => $"{Source}:{Line}: {Code}";

    /// <summary>Every code block under ## EXAMPLES of docs/help/*.md.</summary>
    public static List<DocExample> HelpExamples()
    {
        var examples = new List<DocExample>();
        foreach (var file in Directory.GetFiles(HelpPageText.DocsDirectory, "*-*.md").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            bool inExamples = false;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("## ", StringComparison.Ordinal)) inExamples = lines[i] == "## EXAMPLES";
                if (!inExamples || !lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
                int end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
                examples.Add(new DocExample("docs/help/" + Path.GetFileName(file), i + 2, string.Join("\n", lines[(i + 1)..end])));
                i = end;
            }
        }
        return examples;
    }

    /// <summary>Each line of README.md's PowerShell block: commands a user types one after another.</summary>
    public static List<DocExample> ReadmeLines()
    {
        var lines = File.ReadAllLines(Path.Combine(Engine.RepoRoot, "README.md"));
        int start = Array.IndexOf(lines, "```powershell");
        Assert.True(start >= 0, "README.md has no ```powershell block");
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return Enumerable.Range(start + 1, end - start - 1)
            .Where(i => lines[i].Trim().Length > 0)
            .Select(i => new DocExample("README.md", i + 1, lines[i]))
            .ToList();
    }
}
