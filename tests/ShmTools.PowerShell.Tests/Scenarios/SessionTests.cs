using System.Text.RegularExpressions;
using ShmTools.PowerShell.Tests.Support;
using ShmTools.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>A user's whole session, typed statement by statement: nothing goes wrong anywhere, also in $Error.</summary>
public sealed class SessionTests
{
    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Import_inspect_judge_preview_help_and_plan_a_real_model(RunAs user)
    {
        string dead = Segments.Dead();
        string live = Segments.UniqueName("shmtools-session-");
        using var held = Holder.Mapping(live, 65536);
        string model = TestModels.Detection;
        try
        {
            var r = Engine.Run(new Runner.Scenario
            {
                Steps =
                [
                    new Runner.ScenarioStep { Script = "Import-Module $ModulePath" },
                    new Runner.ScenarioStep { Script = "Get-ShmSegment" },
                    new Runner.ScenarioStep { Script = "Get-ShmSegment | Test-ShmLiveness" },
                    new Runner.ScenarioStep { Script = "Get-ShmSegment | Test-ShmLiveness | Clear-StaleShm -WhatIf" },
                    new Runner.ScenarioStep { Script = "Get-Help Get-ShmSegment" },
                    new Runner.ScenarioStep { Script = $"Invoke-MemoryPlan '{model}' -Profile t4 -InputShape 'x=1,3,640,640'" },
                    new Runner.ScenarioStep { Script = "Get-DeviceProfile 't*'" },
                ],
            }, user);
            foreach (var step in r.Steps)
            {
                StepAssert.Clean(step);
                StepAssert.ProgressCompleted(step);
                StepAssert.FitsWidth(step);
            }
            Assert.Contains(RenderedTable.All(r.Steps[1].Console).Single().Rows, row => RenderedTable.Squeeze(row["Name"]) == live);
            // As root every process is visible, so the dead owner's segment is Stale; unprivileged, others' holders are hidden.
            if (user == RunAs.Self || !Engine.IsRoot)
                Assert.Contains(r.Steps[3].HostText.Split('\n'), l => l.StartsWith("What if:") && l.Contains(dead));
            Assert.True(File.Exists(Segments.PathOf(dead)));
            Assert.Contains("Get-ShmSegment", r.Steps[4].Console);
            Assert.Contains("t4: peak", r.Steps[5].Console);
            Assert.Equal("t4", RenderedTable.All(r.Steps[6].Console).Single().Rows.Single()["Name"]);
        }
        finally { Segments.Remove(dead); }
    }

    [Fact]
    public void Every_type_a_view_names_resolves_in_the_default_load_context()
    {
        var xml = File.ReadAllText(Path.Combine(Engine.ModuleFolder, "ShmTools.format.ps1xml"))
            + File.ReadAllText(Path.Combine(Engine.ModuleFolder, "ShmTools.types.ps1xml"));
        var literals = Regex.Matches(xml, @"\[(ShmTools\.[A-Za-z.]+)\]").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(literals);
        var r = Engine.Run("Import-Module $ModulePath\n" + string.Join("\n", literals.Select(t =>
            $"[Runtime.Loader.AssemblyLoadContext]::GetLoadContext([{t}].Assembly).Name")));
        StepAssert.Clean(r);
        Assert.All(r.Objects, o => Assert.Equal("Default", o.Text));
        Assert.Equal(literals.Count, r.Objects.Count);
    }
}
