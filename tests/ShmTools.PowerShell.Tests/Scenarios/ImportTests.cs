using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Import-Module, autoload, Remove-Module and the load boundary, each in a fresh engine process.</summary>
public sealed class ImportTests
{
    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Import_exports_every_cmdlet_and_output_type_literals_resolve(RunAs user)
    {
        var r = Engine.Run("""
            Import-Module $ModulePath
            (Get-Command -Module ShmTools).Name
            [ShmTools.Core.Liveness.Verdict]::Stale
            [ShmTools.Core.Shm.SegmentKind]::Posix
            [ShmTools.Core.Text.ByteSize]::Format(65536)
            """, user);
        StepAssert.Clean(r);
        var texts = r.Objects.Select(o => o.Text).ToList();
        foreach (var c in new[] { "Clear-StaleShm", "Get-DeviceProfile", "Get-GpuAllocation", "Get-ShmSegment", "Invoke-MemoryPlan", "Test-ShmLiveness" })
            Assert.Contains(c, texts);
        Assert.Contains("Stale", texts);
        Assert.Contains("Posix", texts);
        Assert.Contains(r.Objects, o => o.TypeNames[0] == "ShmTools.Core.Liveness.Verdict");
        Assert.Contains("64 KiB", texts);
    }

    [Theory]
    [InlineData(RunAs.Self)]
    [InlineData(RunAs.Unprivileged)]
    public void Autoload_imports_the_module_on_first_use_from_PSModulePath(RunAs user)
    {
        string name = Segments.UniqueName("shmtools-autoload-");
        using var held = Holder.Mapping(name, 4096);
        var r = Engine.Run($"""
            @(Get-Module ShmTools).Count
            (Get-ShmSegment -Name '{name}').Name
            (Get-Module ShmTools).Name
            (Get-DeviceProfile cpu).Name
            """, user, new Dictionary<string, string> { ["PSModulePath"] = Path.GetDirectoryName(Engine.ModuleFolder)! });
        StepAssert.Clean(r);
        Assert.Equal(["0", name, "ShmTools", "cpu"], r.Objects.Select(o => o.Text));
    }

    [Fact]
    public void Remove_Module_in_one_runspace_leaves_the_module_working_in_another_and_it_imports_again_there()
    {
        var graph = Path.Combine(Path.GetTempPath(), Segments.UniqueName("shmtools-graph-") + ".yaml");
        File.WriteAllText(graph, PesterTwins.MemoryPlanTwins.Chain);
        try
        {
            const string useFormats = "(Get-DeviceProfile cpu).Name; (Invoke-MemoryPlan '{0}').Devices[0].Name";
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new ScenarioStep { Runspace = "a", Script = "Import-Module $ModulePath; (Get-DeviceProfile t4).Name" },
                    new ScenarioStep { Runspace = "b", Script = "Import-Module $ModulePath; (Get-Module ShmTools).Name" },
                    new ScenarioStep { Runspace = "a", Script = "Remove-Module ShmTools; @(Get-Module ShmTools).Count" },
                    new ScenarioStep { Runspace = "b", Script = string.Format(useFormats, graph) },
                    new ScenarioStep { Runspace = "c", Script = "Import-Module $ModulePath; " + string.Format(useFormats, graph), Close = true },
                    new ScenarioStep { Runspace = "a", Script = "Import-Module $ModulePath -Force; Import-Module $ModulePath -Force; " + string.Format(useFormats, graph) },
                    new ScenarioStep { Runspace = "b", Script = "[ShmTools.Core.Liveness.Verdict]::Live" },
                ],
            });
            foreach (var step in r.Steps) StepAssert.Clean(step);
            Assert.Equal(["t4"], r.Steps[0].Objects.Select(o => o.Text));
            Assert.Equal(["0"], r.Steps[2].Objects.Select(o => o.Text));
            Assert.Equal(["cpu", "cpu"], r.Steps[3].Objects.Select(o => o.Text));
            Assert.Equal(["cpu", "cpu"], r.Steps[4].Objects.Select(o => o.Text));
            Assert.Equal(["cpu", "cpu"], r.Steps[5].Objects.Select(o => o.Text));
            Assert.Equal(["Live"], r.Steps[6].Objects.Select(o => o.Text));
        }
        finally { File.Delete(graph); }
    }

    [Fact]
    public void Another_modules_YamlDotNet_loaded_first_keeps_working_and_the_module_uses_its_own()
    {
        string older = Directory.GetFiles(Path.Combine(Engine.RepoRoot, "tests", "IsolationProbe", "bin"), "YamlDotNet.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        var r = Engine.Run($$"""
            $null = [Reflection.Assembly]::LoadFrom('{{older}}')
            $yaml = [YamlDotNet.RepresentationModel.YamlStream]::new()
            $yaml.Load([IO.StringReader]::new('host: first'))
            Import-Module $ModulePath
            @(Get-DeviceProfile).Count
            [YamlDotNet.RepresentationModel.YamlStream].Assembly.GetName().Version.Major
            $yaml.Load([IO.StringReader]::new('host: again')); 'host yaml still works'
            $formats = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ShmTools.Formats' }
            [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($formats).Name
            ([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($formats).Assemblies | Where-Object { $_.GetName().Name -eq 'YamlDotNet' }).GetName().Version.Major
            [Runtime.Loader.AssemblyLoadContext]::GetLoadContext([ShmTools.Core.Liveness.Verdict].Assembly).Name
            """);
        StepAssert.Clean(r);
        Assert.Equal(["10", "13", "host yaml still works", "ShmTools", "16", "Default"], r.Objects.Select(o => o.Text));
    }

    [Theory]
    [InlineData("ShmTools.Formats.dll")]
    [InlineData("YamlDotNet.dll")]
    public void A_module_folder_missing_a_dependency_fails_to_import_with_a_clear_error_not_a_crash(string missing)
    {
        var copy = Directory.CreateTempSubdirectory("shmtools-broken-");
        try
        {
            string folder = Path.Combine(copy.FullName, "Shm Tools copy", "ShmTools");
            CopyTree(Engine.ModuleFolder, folder);
            File.Delete(Path.Combine(folder, "dependencies", missing));
            var r = Engine.Run($"Import-Module '{Path.Combine(folder, "ShmTools.psd1")}'; 'after'");
            var e = Assert.Single(r.Errors);
            Assert.Contains("not completely installed", e.Message);
            Assert.Contains(Path.GetFileNameWithoutExtension(missing), e.Message);
        }
        finally { copy.Delete(recursive: true); }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
