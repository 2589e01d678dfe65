using System.Diagnostics;

namespace ShmTools.Tests.Module;

/// <summary>
/// Another module's YamlDotNet already in the default load context must not break ShmTools, nor
/// ShmTools break it: a host process (IsolationProbe) loads YamlDotNet 13 first, then the built
/// module's assembly, hooks its resolver and reads profiles through Core, whose readers need YamlDotNet 16.
/// </summary>
public sealed class DependencyIsolationTests : IClassFixture<BuiltModuleFixture>
{
    private readonly BuiltModule _module;

    public DependencyIsolationTests(BuiltModuleFixture f) => _module = f.Module;

    private Dictionary<string, string> Probe(params string[] extra)
    {
        string probe = Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("tests", "ShmTools.Tests"), Path.Combine("tests", "IsolationProbe")), "IsolationProbe.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { probe, _module.Folder }.Concat(extra)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"probe failed: {stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1].Trim());
    }

    [Fact]
    public void The_readers_use_their_own_YamlDotNet_beside_another_modules_older_one_and_share_the_object_model()
    {
        var r = Probe();
        Assert.Equal("Default", r["host.yamldotnet.context"]);
        Assert.StartsWith("13.", r["host.yamldotnet"]);
        Assert.Equal("Default", r["core.context"]);
        Assert.Equal("ShmTools", r["formats.context"]);
        Assert.Equal("True", r["formats.core.shared"]);
        Assert.StartsWith("16.", r["engine.yamldotnet"]);
        Assert.Equal("1", r["engine.yamldotnet.in.default"]);
        Assert.Equal("10", r["engine.profiles"]);
        Assert.Equal(r["host.yamldotnet"], r["host.yamldotnet.still"]);
        Assert.Equal("true", r["host.yamldotnet.works"]);
    }

    [Fact]
    public void Only_the_resolver_finds_the_readers_and_their_packages_are_not_beside_the_cmdlets()
    {
        var r = Probe("--no-hook");
        Assert.Equal("Default", r["core.context"]);
        Assert.Equal("False", r["formats.found"]);
        Assert.True(File.Exists(Path.Combine(_module.Folder, "ShmTools.Core.dll")), "the object model must sit beside ShmTools.dll");
        foreach (var dll in new[] { "ShmTools.Formats.dll", "YamlDotNet.dll", "Google.Protobuf.dll" })
        {
            Assert.False(File.Exists(Path.Combine(_module.Folder, dll)), dll + " must not sit beside the cmdlets");
            Assert.True(File.Exists(Path.Combine(_module.Folder, "dependencies", dll)), dll + " missing from dependencies/");
        }
        Assert.False(File.Exists(Path.Combine(_module.Folder, "dependencies", "ShmTools.Core.dll")), "a second object model in dependencies/ would split the types");
    }
}
