using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

public sealed class PlanVerbTests
{
    [Fact]
    public void Plan_json_carries_the_contract_fields_and_detailed_adds_tensors()
    {
        var run = ShmToolsCli.Invoke("plan", "--json", "--detailed", "--model", TestModels.Classifier, "--input-shape", "x=1,3,48,192", "--profile", "l4", "--strategy", "use-count");
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("use-count", root.GetProperty("strategy").GetString());
        var d = root.GetProperty("devices")[0];
        foreach (var key in new[] { "name", "capacityBytes", "targetBytes", "reservedBytes", "peakBytes", "lowerBoundBytes", "naiveBytes", "weightsBytes", "compensationBytes", "fits", "subFunctions", "blocks", "tensors" })
            Assert.True(d.TryGetProperty(key, out _), "missing " + key);
        var t = d.GetProperty("tensors")[0];
        foreach (var key in new[] { "name", "shape", "dtype", "bytes", "device", "firstStep", "lastStep", "block", "offset" })
            Assert.True(t.TryGetProperty(key, out _), "tensor lacks " + key);
        Assert.Equal("l4", d.GetProperty("name").GetString());
        Assert.True(root.TryGetProperty("transfers", out _));
    }

    [Fact]
    public void Without_detailed_there_are_no_tensors_and_the_table_shows_the_ratio()
    {
        var json = ShmToolsCli.Invoke("plan", "--json", "--model", TestModels.Classifier, "--input-shape", "x=1,3,48,192");
        Assert.False(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("devices")[0].TryGetProperty("tensors", out _));
        var table = ShmToolsCli.Invoke("plan", "--model", TestModels.Classifier, "--input-shape", "x=1,3,48,192");
        Assert.Contains("PEAK/LB", table.Stdout);
        Assert.Contains("cpu", table.Stdout);
    }

    [Theory]
    [InlineData("--model", "/nonexistent/model.onnx")]
    [InlineData("--model", "@cls", "--input-shape", "x=1,three,48,192")]
    [InlineData("--model", "@cls")]
    [InlineData("--model", "@cls", "--input-shape", "x=1,3,48,192", "--profile", "no-such-device")]
    [InlineData("--model", "@cls", "--input-shape", "x=1,3,48,192", "--strategy", "magic")]
    public void Bad_models_shapes_profiles_and_strategies_exit_2(params string[] args)
    {
        var run = ShmToolsCli.Invoke(["plan", .. args.Select(a => a == "@cls" ? TestModels.Classifier : a)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("shmtools: ", run.Stderr);
    }

    [Fact]
    public void Profiles_lists_the_built_in_devices()
    {
        var run = ShmToolsCli.Invoke("profiles", "--json");
        Assert.Equal(0, run.ExitCode);
        var names = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("h100-80gb", names);
        Assert.Contains("cpu", names);
    }
}
