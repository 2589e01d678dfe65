using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;
using Xunit.Abstractions;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>
/// Every example in docs/help/*.md and every line of README.md's PowerShell block, typed as written
/// into the real engine against the built module, in a folder holding the files they name: none may
/// produce an error record, except the few below that need something this machine lacks.
/// </summary>
public sealed class ExampleTests(ITestOutputHelper output)
{
    /// <summary>What an example may fail with, and why: the code it applies to, the error id and a part of the message.</summary>
    private sealed record Allowance(string CodePart, string ErrorId, string MessagePart, string Why);

    private static readonly Allowance[] Allowed =
    [
        // Documented to need what this machine lacks.
        new("Get-GpuAllocation", "GpuUnavailable", "", "needs a GPU: NVML, nvidia-smi or a HAMi-core region"),
    ];

    /// <summary>README lines not typed here: the build the tests already run after.</summary>
    private static readonly string[] NotRun = ["dotnet build -c Release"];

    [Fact]
    public void Every_help_example_runs_as_typed()
    {
        var examples = DocExample.HelpExamples();
        Assert.True(examples.Count >= 15, $"only {examples.Count} examples found");
        Check(examples, RunAll(examples, importFirst: true));
    }

    [Fact]
    public void Every_line_of_the_readme_PowerShell_block_runs_as_typed()
    {
        var lines = DocExample.ReadmeLines().Where(l => !NotRun.Any(n => l.Code.TrimStart().StartsWith(n, StringComparison.Ordinal))).ToList();
        Assert.Contains(lines, l => l.Code.StartsWith("Import-Module ./out/ShmTools/ShmTools.psd1", StringComparison.Ordinal));
        Check(lines, RunAll(lines, importFirst: false));
    }

    private List<StepResult> RunAll(List<DocExample> examples, bool importFirst)
    {
        ProtectHostLogs();
        var folder = ExampleFiles.Create();
        try
        {
            // The user's current location (Set-Location is in the Management module, absent from the package).
            var setup = $"$ExecutionContext.SessionState.Path.SetLocation('{folder}') | Out-Null\n{UtilityStandIns.Script}\n" + (importFirst ? "Import-Module $ModulePath\n" : "");
            var steps = new List<ScenarioStep> { new() { Script = setup, Render = false } };
            // Prompts (-Confirm) are answered "No to All": an example never removes anything by consent.
            steps.AddRange(examples.Select(e => new ScenarioStep { Script = e.Code, Answers = ["none"] }));
            return Engine.Run(new Scenario { Steps = steps }).Steps;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private void Check(List<DocExample> examples, List<StepResult> results)
    {
        StepAssert.Clean(results[0]);
        var failures = new List<string>();
        for (int i = 0; i < examples.Count; i++)
        {
            var (example, r) = (examples[i], results[i + 1]);
            var errors = r.Errors.Concat(r.ErrorVariable).DistinctBy(e => (e.FullyQualifiedErrorId, e.Message)).ToList();
            var allowed = Allowed.Where(a => example.Code.Contains(a.CodePart, StringComparison.Ordinal)).ToList();
            var unexpected = errors.Where(e => !allowed.Any(a =>
                e.FullyQualifiedErrorId.StartsWith(a.ErrorId + ",", StringComparison.Ordinal) && e.Message.Contains(a.MessagePart, StringComparison.Ordinal))).ToList();
            if (errors.Count == 0 && allowed.Any(a => a.ErrorId == "InvalidModel"))
                output.WriteLine($"{example} now runs clean: its allowance can go");
            output.WriteLine($"{example}\n  -> {r.Objects.Count} objects, errors: {string.Join(", ", errors.Select(e => e.FullyQualifiedErrorId))}");
            if (unexpected.Count > 0)
                failures.Add($"{example}\n  " + string.Join("\n  ", unexpected.Select(e => $"{e.FullyQualifiedErrorId} ({e.Category}): {e.Message}")));
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {examples.Count} examples do not run as typed:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// An example writes its audit log to /var/log: inside tests/run's private mount namespace a
    /// tmpfs is put over /var/log first, so nothing reaches the host's. Outside it the tests refuse to run.
    /// </summary>
    private static void ProtectHostLogs()
    {
        Assert.True(Environment.GetEnvironmentVariable("SHMTOOLS_IN_TEST_NAMESPACE") == "1" && Engine.IsRoot,
            "the examples run only inside tests/run's private namespaces as root (they write /var/log and /dev/shm)");
        lock (typeof(ExampleTests))
        {
            if (File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == "/var/log")) return;
            using var p = System.Diagnostics.Process.Start("mount", ["-t", "tmpfs", "-o", "size=64m", "shmtools-test-log", "/var/log"]);
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
    }
}
