using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios.PesterTwins;

/// <summary>Twins of tests/Pester/Invoke-MemoryPlan.Tests.ps1 (Invoke-MemoryPlan and Get-DeviceProfile).</summary>
public sealed class MemoryPlanTwins : IDisposable
{
    public const string Chain = """
        inputs: [ { name: x, shape: [1, 1, 40, 40] } ]
        nodes:
          - { name: conv1, op: Conv, inputs: [x], outputs: [ { name: a, shape: [1, 1, 20, 40] } ], weightsBytes: 1000 }
          - { name: relu1, op: Relu, inputs: [a], outputs: [ { name: b, shape: [1, 1, 40, 40] } ] }
        outputs: [b]
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shmtools-plan-");

    public MemoryPlanTwins()
    {
        File.SetUnixFileMode(_dir.FullName, (UnixFileMode)0b111_111_111);
        File.WriteAllText(Graph, Chain);
    }

    private string Graph => Path.Combine(_dir.FullName, "chain.yaml");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Plans_a_graph_on_the_default_cpu_profile(RunAs user)
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            $plan = Invoke-MemoryPlan '{{Graph}}'
            $d = $plan.Devices[0]
            [pscustomobject]@{ Name = $d.Name; AtLeastLowerBound = $d.PeakBytes -ge $d.LowerBoundBytes; WeightsBytes = $d.WeightsBytes }
            """, user);
        StepAssert.Clean(r);
        var o = Assert.Single(r.Objects).Properties;
        Assert.Equal("cpu", o["Name"]);
        Assert.Equal("True", o["AtLeastLowerBound"]);
        Assert.Equal("1000", o["WeightsBytes"]);
    }

    [Fact]
    public void Adds_tensors_with_Detailed_and_writes_a_chart()
    {
        string svg = Path.Combine(_dir.FullName, "plan.svg");
        var r = Engine.Run($"Import-Module $ModulePath; (Invoke-MemoryPlan '{Graph}' -Profile t4 -Strategy UseCount -Detailed -ChartPath '{svg}').Devices[0].Tensors.Name -contains 'a'");
        StepAssert.Clean(r);
        Assert.Equal("True", Assert.Single(r.Objects).Text);
        Assert.StartsWith("<svg", File.ReadAllText(svg).TrimStart());
    }

    [Fact]
    public void Stops_with_InvalidModel_for_a_bad_file()
    {
        string bad = Path.Combine(_dir.FullName, "bad.yaml");
        File.WriteAllText(bad, "nodes: [ { name: n, op: Relu, inputs: [nope], outputs: [ { name: y, shape: [1] } ] } ]");
        var r = Engine.Run($"Import-Module $ModulePath; Invoke-MemoryPlan '{bad}'");
        var e = Assert.Single(r.Errors);
        Assert.Equal("InvalidModel,ShmTools.Commands.InvokeMemoryPlanCommand", e.FullyQualifiedErrorId);
        Assert.Contains("bad.yaml", e.Message);
    }

    [Fact]
    public void Lists_built_in_profiles_by_wildcard()
    {
        var r = Engine.Run("Import-Module $ModulePath; (Get-DeviceProfile 'a100*').Name");
        StepAssert.Clean(r);
        Assert.Equal(["a100-40gb", "a100-80gb"], r.Objects.Select(o => o.Text));
    }

    [Fact]
    public void Completes_profile_names()
    {
        var r = Engine.Run("""
            Import-Module $ModulePath
            $line = 'Invoke-MemoryPlan x.onnx -Profile h10'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            """);
        StepAssert.Clean(r);
        Assert.Contains("'h100-80gb'", r.Objects.Select(o => o.Text));
    }
}
