using System.Diagnostics;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios.PesterTwins;

/// <summary>Twins of tests/Pester/Get-GpuAllocation.Tests.ps1: no GPU needed, a stand-in libnvidia-ml is built from C.</summary>
public sealed class GpuAllocationTwins : IDisposable
{
    private readonly Holder _worker = Holder.Mapping(Segments.UniqueName("shmtools-pester-gpu-"), 4096);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shmtools-nvml-");

    public GpuAllocationTwins()
    {
        File.SetUnixFileMode(_dir.FullName, (UnixFileMode)0b111_101_101);
        var psi = new ProcessStartInfo("gcc") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-shared", "-fPIC", "-DSTRIDE=32", $"-DPID_A={_worker.Pid}", "-DPID_B=4100000", "-o", Library,
                     Path.Combine(AppContext.BaseDirectory, "helpers", "native", "fake_nvml.c") })
            psi.ArgumentList.Add(a);
        using var gcc = Process.Start(psi)!;
        string err = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, "gcc: " + err);
    }

    private string Library => Path.Combine(_dir.FullName, "libnvidia-ml.so.1");

    public void Dispose()
    {
        _worker.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public void Lists_allocations_from_NVML_with_users_and_marks_pids_of_other_namespaces()
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            $a = Get-GpuAllocation -Source Nvml -NvmlLibrary '{{Library}}'
            [pscustomobject]@{ Count = @($a).Count; User = ($a | Where-Object ProcessId -EQ {{_worker.Pid}}).User; Visible = ($a | Where-Object ProcessId -EQ 4100000).VisibleHere }
            """);
        StepAssert.Clean(r);
        var o = Assert.Single(r.Objects).Properties;
        Assert.Equal("2", o["Count"]);
        Assert.Equal("root", o["User"]);
        Assert.Equal("False", o["Visible"]);
    }

    [Fact]
    public void Composes_with_Get_ShmSegment_through_ProcessId()
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            $segments = Get-ShmSegment -ProcessId (Get-GpuAllocation -Source Nvml -NvmlLibrary '{{Library}}').ProcessId
            @($segments | Where-Object { $_.Attachments.Pid -contains {{_worker.Pid}} }).Count -gt 0
            """);
        StepAssert.Clean(r);
        Assert.Equal("True", Assert.Single(r.Objects).Text);
    }

    [Fact]
    public void Filters_like_any_object_stream()
    {
        var r = Engine.Run($"Import-Module $ModulePath; @(Get-GpuAllocation -Source Nvml -NvmlLibrary '{Library}' | Where-Object UsedBytes -GT 1GB).Count");
        StepAssert.Clean(r);
        Assert.Equal("1", Assert.Single(r.Objects).Text);
    }

    [Fact]
    public void Lists_devices_with_ListDevice()
    {
        var r = Engine.Run($"Import-Module $ModulePath; (Get-GpuAllocation -Source Nvml -NvmlLibrary '{Library}' -ListDevice).Name");
        StepAssert.Clean(r);
        Assert.Contains("NVIDIA H100 80GB HBM3", r.Objects.Select(o => o.Text));
    }

    [Fact]
    public void Reports_a_missing_library_as_a_non_terminating_error()
    {
        var r = Engine.Run("""
            Import-Module $ModulePath
            Get-GpuAllocation -Source Nvml -NvmlLibrary /nonexistent/libnvidia-ml.so.1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId
            $err[0].Exception.Message
            """);
        Assert.Empty(r.Errors);
        Assert.Equal("GpuUnavailable,ShmTools.Commands.GetGpuAllocationCommand", r.Objects[0].Text);
        Assert.Contains("nonexistent", r.Objects[1].Text);
    }
}
