using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Invoke-MemoryPlan -BufferFile as a user types it: a MiniMalloc instance packed at its capacity, the placed CSV, and bad input as an ErrorRecord.</summary>
public sealed class BufferPlanTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shmtools-buffers-");

    public BufferPlanTests() => File.SetUnixFileMode(_dir.FullName, (UnixFileMode)0b111_111_111);

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Instance(string name) => Path.Combine(Engine.RepoRoot, "bench", "data", "minimalloc", "asplos2024", name);

    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Packs_a_MiniMalloc_instance_at_its_capacity_and_writes_the_offsets(RunAs user)
    {
        string output = Path.Combine(_dir.FullName, "placed.csv");
        var r = Engine.Run(new Runner.Scenario
        {
            Steps =
            [
                new Runner.ScenarioStep { Script = "Import-Module $ModulePath" },
                new Runner.ScenarioStep { Script = $"$plan = Invoke-MemoryPlan -BufferFile '{Instance("A.1048576.csv")}' -Capacity 1048576 -TimeLimit 00:00:30 -OutputPath '{output}'" },
                new Runner.ScenarioStep { Script = "[pscustomobject]@{ Fits = $plan.FitsCapacity; Peak = $plan.PeakBytes; Strategy = $plan.Strategy; Buffers = $plan.Buffers.Count }" },
                new Runner.ScenarioStep { Script = "$plan" },
            ],
        }, user);
        foreach (var step in r.Steps)
        {
            StepAssert.Clean(step);
            StepAssert.ProgressCompleted(step);
        }
        var o = Assert.Single(r.Steps[2].Objects).Properties;
        Assert.Equal("True", o["Fits"]);
        Assert.Equal("1048576", o["Peak"]);
        Assert.Equal("exact", o["Strategy"]);
        Assert.Equal("154", o["Buffers"]);
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,lower,upper,size,offset", lines[0]);
        Assert.Equal(155, lines.Length);
        Assert.Contains("1048576", r.Steps[3].Console);
    }

    [Fact]
    public void A_bad_line_stops_with_InvalidBufferList_naming_file_and_line()
    {
        string bad = Path.Combine(_dir.FullName, "bad.csv");
        File.WriteAllText(bad, "id,lower,upper,size\nb1,0,3,4\nb2,9,3,4\n");
        var r = Engine.Run($"Import-Module $ModulePath; Invoke-MemoryPlan -BufferFile '{bad}'");
        var e = Assert.Single(r.Errors);
        Assert.Equal("InvalidBufferList,ShmTools.Commands.InvokeMemoryPlanCommand", e.FullyQualifiedErrorId);
        Assert.Contains("bad.csv:3", e.Message);
    }

    [Fact]
    public void Model_parameters_are_refused_with_a_buffer_list()
    {
        var r = Engine.Run($"Import-Module $ModulePath; Invoke-MemoryPlan -BufferFile '{Instance("A.1048576.csv")}' -Profile t4");
        // -Profile belongs to the model parameter set only: PowerShell's binder refuses the mix itself.
        var e = Assert.Single(r.Errors);
        Assert.StartsWith("AmbiguousParameterSet", e.FullyQualifiedErrorId);
    }
}
