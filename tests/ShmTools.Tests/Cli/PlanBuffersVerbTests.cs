using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary><c>shmtools plan --buffers</c>: JSON fields, the written CSV read back, and bad input exiting 2.</summary>
public sealed class PlanBuffersVerbTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shmtools-cli-buffers-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Json_carries_the_plan_and_the_csv_holds_every_offset()
    {
        // Three buffers that only fit in 8 bytes one way: c spans all, a and b take turns above it.
        var list = Write("l.csv", "buffer,start,end,size\na,0,2,4\nb,2,4,4\nc,0,4,4\n");
        var output = Path.Combine(_dir.FullName, "out.csv");
        var run = ShmToolsCli.Invoke("plan", "--buffers", list, "--capacity", "8", "--time-limit", "5s", "--output", output, "--json");
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        foreach (var key in new[] { "file", "peakBytes", "lowerBoundBytes", "capacityBytes", "fitsCapacity", "provenInfeasible", "provenOptimal", "strategy", "solveSeconds", "buffers" })
            Assert.True(root.TryGetProperty(key, out _), "missing " + key);
        Assert.Equal(8, root.GetProperty("peakBytes").GetInt64());
        Assert.True(root.GetProperty("fitsCapacity").GetBoolean());
        var offsets = root.GetProperty("buffers").EnumerateArray().ToDictionary(b => b.GetProperty("id").GetString()!, b => b.GetProperty("offset").GetInt64());
        Assert.NotEqual(offsets["a"], offsets["c"]);
        Assert.NotEqual(offsets["b"], offsets["c"]);
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,lower,upper,size,offset", lines[0]);
        Assert.Equal($"c,0,4,4,{offsets["c"]}", lines[3]);
    }

    [Fact]
    public void Too_small_a_capacity_is_reported_as_proven_not_fitting()
    {
        var list = Write("l.csv", "id,lower,upper,size\na,0,2,4\nb,1,3,4\n");
        var run = ShmToolsCli.Invoke("plan", "--buffers", list, "--capacity", "7", "--json");
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.False(root.GetProperty("fitsCapacity").GetBoolean());
        Assert.True(root.GetProperty("provenInfeasible").GetBoolean());
    }

    [Theory]
    [InlineData("bad", "--buffers", "@bad")]
    [InlineData("ok", "--buffers", "@ok", "--capacity", "lots")]
    [InlineData("ok", "--buffers", "@ok", "--profile", "t4")]
    [InlineData("ok", "--buffers", "@ok", "--model", "x.onnx")]
    [InlineData("ok", "--buffers", "@ok", "--time-limit", "soon")]
    [InlineData("ok", "--model", "x.onnx", "--capacity", "8")]
    [InlineData("ok", "--json")]
    public void Bad_lists_and_misplaced_options_exit_2(string which, params string[] args)
    {
        var bad = Write("bad.csv", "id,lower,upper,size\na,0,2,4\nb,5,1,4\n");
        var ok = Write("ok.csv", "id,lower,upper,size\na,0,2,4\n");
        var run = ShmToolsCli.Invoke(["plan", .. args.Select(a => a == "@bad" ? bad : a == "@ok" ? ok : a)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("shmtools: ", run.Stderr);
        if (which == "bad") Assert.Contains("bad.csv:3", run.Stderr);
    }
}
