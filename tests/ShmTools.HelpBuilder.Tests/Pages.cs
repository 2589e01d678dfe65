namespace ShmTools.HelpBuilder.Tests;

/// <summary>The repository's help pages and built module, and scratch copies of the pages to break.</summary>
public static class Pages
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string DocsDirectory => Path.Combine(RepoRoot, "docs", "help");

    public static string ModuleFolder => Path.Combine(RepoRoot, "out", "ShmTools");

    public static string ModuleAssembly => Path.Combine(ModuleFolder, "ShmTools.dll");

    /// <summary>What the cmdlets are read against: PowerShell's reference assembly and the module's own dependencies.</summary>
    public static List<string> References =>
        [Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll"),
         .. Directory.GetFiles(ModuleFolder, "*.dll"), .. Directory.GetFiles(Path.Combine(ModuleFolder, "dependencies"), "*.dll")];

    /// <summary>A scratch copy of docs/help.</summary>
    public static string CopyDocs()
    {
        var dir = Directory.CreateTempSubdirectory("shmtools-help-").FullName;
        foreach (var f in Directory.GetFiles(DocsDirectory, "*.md")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    public static HelpBuild Build(string docs, string? output = null) => new()
    {
        DocsDirectory = docs,
        AssemblyPath = ModuleAssembly,
        OutputDirectory = output ?? Path.Combine(docs, "out"),
        References = References,
    };

    /// <summary>Replaces exactly one occurrence of a line in a page and returns that line's 1-based number.</summary>
    public static int ReplaceLine(string docs, string page, string line, string replacement)
    {
        var path = Path.Combine(docs, page);
        var lines = File.ReadAllLines(path).ToList();
        var at = lines.FindAll(l => l == line);
        Assert.True(at.Count == 1, $"'{line}' occurs {at.Count} times in {page}");
        int index = lines.IndexOf(line);
        lines[index] = replacement;
        File.WriteAllLines(path, lines);
        return index + 1;
    }

    private static string FindRepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "Directory.Build.props"))) d = d.Parent;
        return d?.FullName ?? throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }
}
