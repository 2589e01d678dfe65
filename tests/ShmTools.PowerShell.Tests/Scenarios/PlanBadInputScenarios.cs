using System.Diagnostics;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>
/// Bad planner inputs as a PowerShell user meets them: one ErrorRecord whose message
/// names the file and what is wrong, at once (no hang on a FIFO), and profile files given as
/// paths relative to the PowerShell location.
/// </summary>
public sealed class PlanBadInputScenarios : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shmtools-ps-bad-").FullName;

    public PlanBadInputScenarios() => File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Bad_model_profile_and_chart_are_error_records_naming_the_file()
    {
        Write("g.yaml", "inputs: [ { name: x, shape: [1, 8] } ]\nnodes:\n  - { name: r, op: Relu, inputs: [x], outputs: [ { name: y, shape: [1, 8] } ] }\noutputs: [y]\n");
        string fifo = Path.Combine(_dir, "pipe.onnx");
        using (var p = Process.Start("mkfifo", [fifo])) p.WaitForExit();
        Write("bomb.yaml", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Concat(Enumerable.Range(1, 10).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n")) + "? *a10\n: boom\n");
        Write("mine.yaml", "name: mine\nmemory: 1 GiB\n");

        var watch = Stopwatch.StartNew();
        var fifoRun = Engine.Run($"Import-Module $ModulePath\nInvoke-MemoryPlan -Model '{fifo}'");
        var error = One(fifoRun);
        Assert.StartsWith("InvalidModel,", error.FullyQualifiedErrorId);
        Assert.Equal("InvalidData", error.Category);
        Assert.Contains(fifo + ": a FIFO (named pipe), not a regular file", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));

        var bomb = Engine.Run($"Import-Module $ModulePath\n$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}')\nInvoke-MemoryPlan -Model g.yaml -Profile ./bomb.yaml");
        error = One(bomb);
        Assert.StartsWith("InvalidDeviceProfile,", error.FullyQualifiedErrorId);
        Assert.Contains(Path.Combine(_dir, "bomb.yaml"), error.Message);
        Assert.Contains("alias bomb", error.Message);

        var chart = Engine.Run($"Import-Module $ModulePath\n$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}')\nInvoke-MemoryPlan -Model g.yaml -ChartPath ./none/c.svg");
        error = One(chart);
        Assert.StartsWith("ChartNotWritten,", error.FullyQualifiedErrorId);
        Assert.Equal("WriteError", error.Category);
        Assert.Contains("does not exist", error.Message);

        // A relative profile file is found from the PowerShell location, not the process's directory.
        var mine = Engine.Run($"Import-Module $ModulePath\n$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}')\n(Invoke-MemoryPlan -Model g.yaml -Profile ./mine.yaml).Devices[0].Name");
        StepAssert.Clean(mine);
        Assert.Contains(mine.Objects, o => o.Text == "mine");
    }

    private static Runner.ErrorInfo One(Runner.StepResult r)
    {
        Assert.True(r.Errors.Count == 1, string.Join(" | ", r.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Message}")));
        return r.Errors[0];
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }
}
