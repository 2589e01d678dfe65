using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>The default views as a user sees them at 80 columns: nothing cut to stubs, nested records readable, no errors in views.</summary>
public sealed class ViewTests
{
    private const string LongName = "a-very-long-segment-name-from-some-framework-that-goes-on-and-on.buffer";

    private static string Joined(string console) => string.Concat(console.Split('\n').Select(l => l.Trim()));

    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Segment_table_wraps_long_names_instead_of_cutting_them(RunAs user)
    {
        File.WriteAllBytes(Segments.PathOf(LongName), new byte[4096]);
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; Get-ShmSegment -Name '{LongName}'", user);
            StepAssert.Clean(r);
            StepAssert.FitsWidth(r);
            Assert.DoesNotContain("…", r.Console);
            var row = Assert.Single(Assert.Single(RenderedTable.All(r.Console)).Rows);
            Assert.Equal(LongName, RenderedTable.Squeeze(row["Name"]));
            Assert.Equal("4.0 KiB", row["Size"]);
        }
        finally { Segments.Remove(LongName); }
    }

    [Fact]
    public void Liveness_and_removal_tables_keep_whole_names_and_reasons()
    {
        string dead = Segments.Dead();
        File.WriteAllBytes(Segments.PathOf(LongName), new byte[4096]);
        try
        {
            var r = Engine.Run(new Runner.Scenario
            {
                Steps =
                [
                    new Runner.ScenarioStep { Script = $"Import-Module $ModulePath; Test-ShmLiveness -Name '{LongName}', '{dead}'" },
                    new Runner.ScenarioStep { Script = $"Clear-StaleShm -Name '{LongName}', '{dead}' -Force" },
                ],
            });
            foreach (var step in r.Steps)
            {
                StepAssert.Clean(step);
                StepAssert.FitsWidth(step);
                Assert.DoesNotContain("…", step.Console);
                var rows = RenderedTable.All(step.Console).SelectMany(t => t.Rows).ToList();
                Assert.Equal(step.Objects.Count, rows.Count);
                foreach (var (o, row) in step.Objects.Zip(rows))
                {
                    Assert.Equal(o.Properties["Name"], RenderedTable.Squeeze(row["Name"]));
                    Assert.Equal(RenderedTable.Squeeze(o.Properties["Reason"]!), RenderedTable.Squeeze(row["Reason"]));
                }
                Assert.Contains(step.Objects, o => o.Properties["Name"] == LongName);
                Assert.Contains(step.Objects, o => o.Properties["Name"] == dead);
            }
        }
        finally { Segments.Remove(LongName, dead); }
    }

    [Fact]
    public void Completion_menus_show_hostile_names_escaped_and_complete_them_exactly()
    {
        string tag = Segments.UniqueName("evil");
        string hostile = tag + "\u001b[2J\nx";
        File.WriteAllBytes(Segments.PathOf(hostile), new byte[16]);
        try
        {
            var r = Engine.Run($$"""
                Import-Module $ModulePath
                $line = 'Get-ShmSegment {{tag}}'
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.ListItemText; $_.CompletionText }
                """);
            StepAssert.Clean(r);
            var texts = r.Objects.Select(o => o.Text).ToList();
            Assert.Equal(2, texts.Count);
            Assert.Equal(tag + "\\x1b[2J\\nx", texts[0]);      // what the menu shows
            Assert.Equal("'" + hostile + "'", texts[1]);          // what is inserted: the exact name
            Assert.DoesNotContain('\u001b', texts[0]);
        }
        finally { Segments.Remove(hostile); }
    }

    [Fact]
    public void Nested_records_read_as_text()
    {
        string name = Segments.UniqueName("shmtools-nested-");
        using var held = Holder.Mapping(name, 8192);
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            $s = Get-ShmSegment -Name '{{name}}'
            "$($s.Attachments)"
            "$((Test-ShmLiveness -Name '{{name}}').Segment)"
            """);
        StepAssert.Clean(r);
        Assert.Matches($@"^{held.Pid} python3 \(Map", r.Objects[0].Text);
        Assert.Equal($"/dev/shm/{name} (Posix, 8.0 KiB)", r.Objects[1].Text);
        Assert.DoesNotContain("{ Pid =", r.Console);
    }

    [Fact]
    public void A_two_profile_plan_shows_every_device_and_why_one_is_unused()
    {
        string graph = Path.Combine(Path.GetTempPath(), Segments.UniqueName("shmtools-graph-") + ".yaml");
        File.WriteAllText(graph, PesterTwins.MemoryPlanTwins.Chain);
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; Invoke-MemoryPlan '{graph}' -Profile t4, cpu");
            StepAssert.Clean(r);
            StepAssert.FitsWidth(r);
            string joined = Joined(r.Console);
            Assert.Contains("t4: peak", r.Console);
            Assert.Contains("cpu: the 2 operator(s) it supports all went to t4", joined);
            Assert.Equal("cpu", r.Objects.Single().Properties["UnusedDevices"]!.Split(':')[0]);
        }
        finally { File.Delete(graph); }
    }

    [Fact]
    public void Views_apply_to_deserialized_objects()
    {
        string name = Segments.UniqueName("shmtools-deser-");
        using var held = Holder.Mapping(name, 65536);
        var r = Engine.Run(new Runner.Scenario
        {
            Steps =
            [
                new Runner.ScenarioStep { Script = $"Import-Module $ModulePath; Get-ShmSegment -Name '{name}'" },
                new Runner.ScenarioStep { Script = $"[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-ShmSegment -Name '{name}')))" },
                new Runner.ScenarioStep { Script = $"[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Test-ShmLiveness -Name '{name}')))" },
            ],
        });
        foreach (var step in r.Steps) StepAssert.Clean(step);
        Assert.StartsWith("Deserialized.ShmTools.Core.Shm.ShmSegment", r.Steps[1].Objects.Single().TypeNames[0]);
        Assert.Equal(r.Steps[0].Console, r.Steps[1].Console);
        Assert.Contains("Verdict", r.Steps[2].Console.Split('\n').First(l => l.Trim().Length > 0));
        Assert.Contains(held.Pid.ToString(), r.Steps[1].Console);
    }
}
