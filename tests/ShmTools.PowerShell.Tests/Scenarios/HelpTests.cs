using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>
/// Get-Help in the real engine shows what docs/help says: for every cmdlet -Full, -Examples and
/// -Parameter for each parameter, and the about topic; the module's help comes from the MAML the
/// build writes into out/ShmTools/en-US.
/// </summary>
public sealed class HelpTests
{
    public static TheoryData<string> Cmdlets => new(HelpPageText.CommandPages());

    private static void Shows(string console, string text, string what)
    {
        Assert.True(HelpPageText.Squeeze(console).Contains(HelpPageText.Squeeze(text), StringComparison.Ordinal),
            $"{what} is not shown: '{text}'\n--- console ---\n{console}");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Full_Examples_and_Parameter_help_show_the_pages_text(string cmdlet)
    {
        var page = HelpPageText.Read(cmdlet);
        var steps = new List<ScenarioStep>
        {
            new() { Script = "Import-Module $ModulePath" },
            new() { Script = $"Get-Help {cmdlet} -Full" },
            new() { Script = $"Get-Help {cmdlet} -Examples" },
            new() { Script = $"(Get-Command {cmdlet}).HelpUri" },
        };
        steps.AddRange(page.Parameters.Keys.Select(p => new ScenarioStep { Script = $"Get-Help {cmdlet} -Parameter {p}" }));
        var r = Engine.Run(new Scenario { Steps = steps }).Steps;
        foreach (var step in r) StepAssert.Clean(step);

        var full = r[1].Console;
        Assert.StartsWith("NAME", full.TrimStart());
        Shows(full, page.Synopsis, "the synopsis");
        foreach (var p in page.Description) Shows(full, p, "a description paragraph");
        foreach (var (code, remarks) in page.Examples)
        {
            Shows(full, code, "an example's code");
            Shows(full, remarks, "an example's remarks");
        }
        foreach (var (name, text) in page.Parameters)
        {
            if (name is "WhatIf" or "Confirm") continue; // PowerShell describes these itself
            Shows(full, text, $"the description of -{name}");
        }
        Assert.Contains("Accept wildcard characters?", full);
        Assert.DoesNotContain("-------------------------- Example", HelpPageText.Squeeze(page.Synopsis));

        var examples = r[2].Console;
        Shows(examples, page.Synopsis, "the synopsis (-Examples)");
        foreach (var (code, remarks) in page.Examples)
        {
            Shows(examples, code, "an example's code (-Examples)");
            Shows(examples, remarks, "an example's remarks (-Examples)");
        }
        Assert.DoesNotContain("Accept wildcard characters?", examples);

        Assert.Equal($"https://github.com/shmtools/ShmTools/blob/main/docs/help/{cmdlet}.md", Assert.Single(r[3].Objects).Text);

        int i = 4;
        foreach (var (name, text) in page.Parameters)
        {
            var shown = r[i++].Console;
            Assert.Contains($"-{name}", shown);
            if (name is not ("WhatIf" or "Confirm")) Shows(shown, text, $"the description of -{name} (-Parameter {name})");
            Assert.Contains("Required?", shown);
        }
    }

    [Fact]
    public void About_ShmTools_shows_the_topic()
    {
        var r = Engine.Run("""
            Import-Module $ModulePath
            Get-Help about_ShmTools
            """);
        StepAssert.Clean(r);
        Assert.StartsWith("TOPIC", r.Console.TrimStart());
        foreach (var p in HelpPageText.AboutParagraphs("about_ShmTools")) Shows(r.Console, p, "an about_ShmTools paragraph");
        StepAssert.FitsWidth(r);
    }

    [Fact]
    public void Help_is_found_without_importing_when_the_module_is_on_PSModulePath_and_for_an_unprivileged_user()
    {
        var page = HelpPageText.Read("Get-ShmSegment");
        var env = new Dictionary<string, string> { ["PSModulePath"] = Path.GetDirectoryName(Engine.ModuleFolder)! };
        foreach (var user in new[] { RunAs.Self, RunAs.Unprivileged })
        {
            var r = Engine.Run("Get-Help Get-ShmSegment -Full", user, env);
            StepAssert.Clean(r);
            Shows(r.Console, page.Synopsis, $"the synopsis ({user}, autoloaded)");
            Shows(r.Console, page.Examples[0].Remarks, $"the first example ({user}, autoloaded)");
            var about = Engine.Run("Get-Help about_ShmTools", user, env);
            StepAssert.Clean(about);
            Assert.StartsWith("TOPIC", about.Console.TrimStart());
        }
    }
}
