using System.Diagnostics;
using System.Text.RegularExpressions;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Metrics;

/// <summary>deploy/prometheus/shmtools-rules.yml: valid, its promtool unit tests pass, and it only uses metrics the exporter writes.</summary>
[Collection(WholeShmCollection.Name)]
public sealed class AlertRulesTests
{
    private static string Rules => Path.Combine(PrometheusTools.RepoRoot, "deploy", "prometheus", "shmtools-rules.yml");

    private static (int Exit, string Output) Promtool(params string[] args)
    {
        var psi = new ProcessStartInfo(PrometheusTools.Promtool!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Rules)!,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit(60_000);
        return (p.ExitCode, output + err.Result);
    }

    [PromtoolFact]
    public void Rules_pass_promtool_check_and_their_unit_tests()
    {
        var check = Promtool("check", "rules", "shmtools-rules.yml");
        Assert.True(check.Exit == 0, check.Output);
        Assert.Contains("SUCCESS: 4 rules found", check.Output);
        var clock = Stopwatch.StartNew();
        var test = Promtool("test", "rules", "shmtools-rules.test.yml");
        Assert.True(test.Exit == 0, test.Output);
        Assert.Contains("SUCCESS", test.Output);
        Console.WriteLine($"promtool test rules: {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [PromtoolFact]
    public void A_rule_test_that_expects_the_wrong_thing_fails()
    {
        // The unit tests can fail: the same tests with the threshold moved must not pass.
        string dir = Directory.CreateTempSubdirectory("shmtools-rules-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "shmtools-rules.yml"), File.ReadAllText(Rules).Replace("> 0.90", "> 0.96"));
            File.Copy(Path.Combine(Path.GetDirectoryName(Rules)!, "shmtools-rules.test.yml"), Path.Combine(dir, "shmtools-rules.test.yml"));
            var psi = new ProcessStartInfo(PrometheusTools.Promtool!, ["test", "rules", "shmtools-rules.test.yml"])
            {
                WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.NotEqual(0, p.ExitCode);
            Assert.Contains("ShmMountAlmostFull", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_metric_the_rules_use_is_one_the_exporter_writes()
    {
        var families = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(PrometheusTools.RepoRoot, "src", "ShmTools.Core", "Metrics"), "*.cs"))
            foreach (Match m in Regex.Matches(File.ReadAllText(file), "Gauge\\(\"(shmtools_[a-z_]+)\""))
                families.Add(m.Groups[1].Value);
        var used = Regex.Matches(File.ReadAllText(Rules), "shmtools_[a-z_]+").Select(m => m.Value).ToHashSet();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, families));
        // And the exporter really writes them (GPU ones need a GPU source, so are checked by the scrape test).
        var output = ShmToolsCli.Invoke("metrics", "--no-gpu").Stdout;
        foreach (var name in used.Where(n => !n.StartsWith("shmtools_gpu_")))
            Assert.Contains("# TYPE " + name + " gauge", output);
    }
}
