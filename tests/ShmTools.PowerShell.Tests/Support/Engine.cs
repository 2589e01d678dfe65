using System.Diagnostics;
using System.Text.Json;
using ShmTools.PowerShell.Tests.Runner;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>Who the scenario process runs as.</summary>
public enum RunAs
{
    /// <summary>The test process's own user (root under tests/run).</summary>
    Self,

    /// <summary>An unprivileged user: uid/gid 65534 with no groups when the tests run as root, else the (already unprivileged) user itself.</summary>
    Unprivileged,
}

/// <summary>
/// Starts a fresh scenario process (this assembly's <see cref="ScenarioProgram"/>) on the built module
/// folder, and returns what the user saw in it.
/// </summary>
public static class Engine
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModuleFolder => Path.Combine(RepoRoot, "out", "ShmTools");

    public static string ModulePath => Path.Combine(ModuleFolder, "ShmTools.psd1");

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>One script in one runspace.</summary>
    public static StepResult Run(string script, RunAs user = RunAs.Self, IReadOnlyDictionary<string, string>? environment = null, params string[] answers) =>
        Run(new Scenario { Steps = [new ScenarioStep { Script = script, Answers = [.. answers] }] }, user, environment).Steps.Single();

    public static ScenarioResult Run(Scenario scenario, RunAs user = RunAs.Self, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(ModulePath), $"the module is not built: {ModulePath} (dotnet build lays it out)");
        string dir = Directory.CreateTempSubdirectory("shmtools-ps-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
            string scenarioFile = Path.Combine(dir, "scenario.json"), resultFile = Path.Combine(dir, "result.json"), home = Path.Combine(dir, "home");
            Directory.CreateDirectory(home);
            File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
            File.WriteAllText(scenarioFile, JsonSerializer.Serialize(scenario, ScenarioProgram.Json));

            bool drop = user == RunAs.Unprivileged && IsRoot;
            var psi = new ProcessStartInfo(drop ? "setpriv" : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (drop) foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", "dotnet" }) psi.ArgumentList.Add(a);
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "ShmTools.PowerShell.Tests.dll"), "--scenario", scenarioFile, "--result", resultFile, "--module", ModulePath })
                psi.ArgumentList.Add(a);
            // A home of its own: the engine writes its caches and settings there, never into the user's.
            psi.Environment["HOME"] = home;
            psi.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
            psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            psi.Environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
            psi.Environment["PSModulePath"] = "";
            psi.Environment["DOTNET_NOLOGO"] = "1";
            psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("the scenario process did not finish in 2 minutes: " + stderr.Result);
            }
            Assert.True(p.ExitCode == 0 && File.Exists(resultFile), $"the scenario process failed (exit {p.ExitCode}): {stderr.Result}{stdout.Result}");
            var result = JsonSerializer.Deserialize<ScenarioResult>(File.ReadAllText(resultFile), ScenarioProgram.Json)!;
            Assert.True(result.HarnessError == null, "harness error: " + result.HarnessError);
            return result;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string FindRepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "Directory.Build.props"))) d = d.Parent;
        return d?.FullName ?? throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }
}
