using System.Text.Json;

namespace ShmTools.PowerShell.Tests.Runner;

/// <summary>
/// The scenario process: <c>dotnet ShmTools.PowerShell.Tests.dll --scenario FILE --result FILE --module PSD1</c>.
/// A fresh process per scenario, because load-context hooks are process-wide.
/// </summary>
public static class ScenarioProgram
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Main(string[] args)
    {
        string? Arg(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        string? scenarioFile = Arg("--scenario"), resultFile = Arg("--result"), module = Arg("--module");
        if (scenarioFile == null || resultFile == null || module == null)
        {
            Console.Error.WriteLine("usage: ShmTools.PowerShell.Tests --scenario FILE --result FILE --module PSD1");
            return 2;
        }
        ScenarioResult result;
        try
        {
            var scenario = JsonSerializer.Deserialize<Scenario>(File.ReadAllText(scenarioFile), Json)!;
            using var runner = new ScenarioRunner(scenario, module);
            result = runner.Run();
        }
        catch (Exception ex)
        {
            result = new ScenarioResult { HarnessError = ex.ToString() };
        }
        File.WriteAllText(resultFile, JsonSerializer.Serialize(result, Json));
        return 0;
    }
}
