using ShmTools.HelpBuilder.Metadata;
using ShmTools.HelpBuilder.Model;
using ShmTools.HelpBuilder.Parsing;
using ShmTools.HelpBuilder.Writing;

namespace ShmTools.HelpBuilder;

/// <summary>
/// One run: reads every page in the docs folder (Verb-Noun.md cmdlet pages, about_*.md topics),
/// checks the cmdlet pages against the built assembly, and, when nothing is in error, writes
/// <c>&lt;Assembly&gt;.dll-Help.xml</c> and <c>about_*.help.txt</c> into the output folder.
/// </summary>
public sealed class HelpBuild
{
    public required string DocsDirectory { get; init; }
    public required string AssemblyPath { get; init; }
    public required string OutputDirectory { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];

    public List<CommandHelp> Commands { get; } = new();
    public List<AboutTopic> Topics { get; } = new();
    public HelpDiagnostics Diagnostics { get; } = new();

    public string MamlFileName => Path.GetFileNameWithoutExtension(AssemblyPath) + ".dll-Help.xml";

    /// <summary>Reads, checks and (without errors) writes; returns the files written.</summary>
    public List<string> Run()
    {
        if (!Directory.Exists(DocsDirectory))
        {
            Diagnostics.Error(DocsDirectory, 1, "the help folder does not exist");
            return [];
        }
        var files = Directory.GetFiles(DocsDirectory, "*.md").OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException ex)
            {
                Diagnostics.Error(file, 1, $"cannot be read: {ex.Message}");
                continue;
            }
            if (Path.GetFileName(file).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                if (AboutPageParser.Parse(file, text, Diagnostics) is { } topic) Topics.Add(topic);
            }
            else if (CommandPageParser.Parse(file, text, Diagnostics) is { } page) Commands.Add(page);
        }

        List<CmdletMetadata> cmdlets;
        try
        {
            cmdlets = CmdletMetadataReader.Read(AssemblyPath, References);
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or FileLoadException)
        {
            Diagnostics.Error(AssemblyPath, 1, $"cannot read the cmdlets: {ex.Message}");
            return [];
        }
        var assemblyName = Path.GetFileName(AssemblyPath);
        foreach (var page in Commands)
        {
            if (page.FrontMatter.TryGetValue("external help file", out var helpFile) && helpFile != MamlFileName)
                Diagnostics.Warning(page.File, 1, $"'external help file: {helpFile}' should be {MamlFileName}");
            HelpConsistencyChecker.Check(page, cmdlets.FirstOrDefault(c => c.Name == page.Name), assemblyName, Diagnostics);
        }
        foreach (var cmdlet in cmdlets.Where(c => Commands.All(p => p.Name != c.Name)))
            if (!files.Any(f => Path.GetFileNameWithoutExtension(f) == cmdlet.Name))
                Diagnostics.Warning(Path.Combine(DocsDirectory, cmdlet.Name + ".md"), 1, $"{assemblyName} has cmdlet {cmdlet.Name} but there is no help page for it");

        if (Diagnostics.HasErrors) return [];
        Directory.CreateDirectory(OutputDirectory);
        var written = new List<string>();
        var maml = Path.Combine(OutputDirectory, MamlFileName);
        WriteReplacing(maml, tmp => MamlWriter.Write(Commands.OrderBy(c => c.Name, StringComparer.Ordinal), tmp));
        written.Add(maml);
        foreach (var topic in Topics)
        {
            var path = Path.Combine(OutputDirectory, topic.Name + ".help.txt");
            WriteReplacing(path, tmp => AboutTopicWriter.Write(topic, tmp));
            written.Add(path);
        }
        return written;
    }

    /// <summary>Writes beside the target and renames over it, so a reader never sees half a file.</summary>
    private static void WriteReplacing(string path, Action<string> write)
    {
        var tmp = path + ".tmp";
        write(tmp);
        File.Move(tmp, path, overwrite: true);
    }
}
