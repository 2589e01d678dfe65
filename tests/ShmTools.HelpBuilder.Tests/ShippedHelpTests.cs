using System.Xml.Linq;

namespace ShmTools.HelpBuilder.Tests;

/// <summary>The help shipped in the module: every page read, checked against the cmdlets, and laid out by the build.</summary>
public sealed class ShippedHelpTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Fact]
    public void Every_page_agrees_with_its_cmdlet_without_a_single_finding()
    {
        var build = Pages.Build(Pages.DocsDirectory, Directory.CreateTempSubdirectory("shmtools-help-out-").FullName);
        var written = build.Run();
        Assert.True(build.Diagnostics.All.Count == 0, string.Join("\n", build.Diagnostics.All));
        Assert.Equal(2, written.Count);
        Assert.Equal(7, build.Commands.Count);
        Assert.Single(build.Topics);
        Directory.Delete(Path.GetDirectoryName(written[0])!, recursive: true);
    }

    [Fact]
    public void The_build_laid_out_the_current_help_in_the_module_folder()
    {
        var fresh = Directory.CreateTempSubdirectory("shmtools-help-out-").FullName;
        try
        {
            var build = Pages.Build(Pages.DocsDirectory, fresh);
            build.Run();
            foreach (var name in new[] { "ShmTools.dll-Help.xml", "about_ShmTools.help.txt" })
            {
                var shipped = Path.Combine(Pages.ModuleFolder, "en-US", name);
                Assert.True(File.Exists(shipped), $"the build did not write {shipped}");
                Assert.Equal(File.ReadAllText(Path.Combine(fresh, name)), File.ReadAllText(shipped));
            }
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    [Fact]
    public void The_maml_carries_every_section_of_every_page()
    {
        var build = Pages.Build(Pages.DocsDirectory, Directory.CreateTempSubdirectory("shmtools-help-out-").FullName);
        var maml = XDocument.Load(build.Run()[0]);
        Assert.Equal("helpItems", maml.Root!.Name.LocalName);
        var commands = maml.Root.Elements(Command + "command").ToList();
        Assert.Equal(build.Commands.Select(c => c.Name).Order(), commands.Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value).Order());
        foreach (var page in build.Commands)
        {
            var c = commands.Single(x => x.Element(Command + "details")!.Element(Command + "name")!.Value == page.Name);
            Assert.Equal(page.Synopsis, c.Element(Command + "details")!.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));
            Assert.Equal(page.Description, c.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));
            Assert.Equal(page.Examples.Select(e => e.Code), c.Descendants(Command + "example").Select(e => e.Element(Dev + "code")!.Value));
            var parameters = c.Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
            Assert.Equal(page.Parameters.Select(p => p.Name), parameters.Select(p => p.Element(Maml + "name")!.Value));
            int sets = Math.Max(1, page.SyntaxSets.Count);
            Assert.Equal(sets, c.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());
            Assert.NotEmpty(c.Element(Command + "returnValues")!.Elements());
            Assert.Contains(c.Descendants(Maml + "navigationLink"), l => l.Element(Maml + "uri")!.Value.EndsWith($"docs/help/{page.Name}.md", StringComparison.Ordinal));
        }
        Directory.Delete(Path.GetDirectoryName(build.Run()[0])!, recursive: true);
    }

    [Fact]
    public void The_about_topic_fits_80_columns_and_keeps_every_word()
    {
        var build = Pages.Build(Pages.DocsDirectory, Directory.CreateTempSubdirectory("shmtools-help-out-").FullName);
        var text = File.ReadAllText(build.Run()[1]);
        Assert.StartsWith("TOPIC\n    about_ShmTools\n", text);
        Assert.All(text.Split('\n'), l => Assert.True(l.Length <= 80, $"wider than 80: '{l}'"));
        string Words(string s) => string.Join(' ', s.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var section in build.Topics[0].Sections)
        {
            Assert.Contains(section.Title.ToUpperInvariant(), text);
            foreach (var p in section.Paragraphs) Assert.Contains(Words(p.StartsWith("- ") ? p[2..] : p), Words(text));
        }
    }
}
