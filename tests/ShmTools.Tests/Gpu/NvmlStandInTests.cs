using ShmTools.Core.Gpu;
using ShmTools.Core.Native;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Gpu;

/// <summary>
/// NVML code against a stand-in libnvidia-ml built here from C with the real entry points and
/// struct layouts; the engine loads it exactly as it would load the driver's.
/// </summary>
public sealed class NvmlStandInTests : IDisposable
{
    private const int AbsentPid = 4_100_000; // above any pid_max default: never a process here
    private readonly HeldSegment _visible = HeldSegment.Start("idle");

    public void Dispose() => _visible.Dispose();

    private string Lib(params string[] defines) =>
        NativeBuild.Library("fake_nvml.c", [.. defines, $"PID_A={_visible.Pid}", $"PID_B={AbsentPid}"]);

    private GpuReport Read(string lib) =>
        new GpuInventory().Read(new GpuQuery { Source = GpuSource.Nvml, NvmlLibrary = lib, HamiCaches = ["/nonexistent/none.cache"] });

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    public void Devices_and_processes_come_through_with_either_process_stride(int stride)
    {
        string lib = Lib("STRIDE=" + stride);
        using (var nvml = Nvml.Open(lib))
        {
            var list = nvml.Processes(nvml.Device(0), graphics: false);
            Assert.Equal(stride, nvml.ProcessStride);
            Assert.Equal(new uint[] { (uint)_visible.Pid, AbsentPid }, list.Select(p => p.Pid));
            Assert.Equal(new ulong?[] { 1UL << 30, 2UL << 30 }, list.Select(p => p.UsedBytes));
            Assert.All(list, p => Assert.Null(p.GpuInstanceId));
            Assert.Equal("535.104.05", nvml.DriverVersion);
        }

        var report = Read(lib);
        Assert.Equal(["nvml"], report.Sources);
        Assert.Equal(2, report.Devices.Count);
        var h100 = report.Devices[0];
        Assert.Equal(("NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555555"), (h100.Name, h100.Uuid));
        Assert.Equal(85899345920L, h100.TotalBytes);
        Assert.Equal(3221225472L, h100.UsedBytes);
        Assert.Equal(536870912L, h100.ReservedBytes); // memory info v2
        Assert.True(h100.MigEnabled);
        Assert.Equal("h100-80gb", h100.Profile);
        Assert.Equal("a100-40gb", report.Devices[1].Profile);
        Assert.False(report.Devices[1].MigEnabled); // NOT_SUPPORTED: no MIG

        Assert.Equal(2, report.Allocations.Count);
        var mine = report.Allocations.Single(a => a.ProcessId == _visible.Pid);
        Assert.Equal("compute,graphics", mine.Kind);
        Assert.True(mine.VisibleHere);
        Assert.Equal("root", mine.User);
        Assert.StartsWith("python", mine.ProcessName);
        Assert.Contains("holder.py idle", mine.CommandLine);
        var absent = report.Allocations.Single(a => a.ProcessId == AbsentPid);
        Assert.False(absent.VisibleHere); // kept and marked, never dropped
        Assert.Equal("python3 -m train", absent.ProcessName);
        Assert.Equal(2L << 30, absent.UsedBytes);
        Assert.All(report.Allocations, a => Assert.Equal(("nvml", 0, "GPU-11111111-2222-3333-4444-555555555555"), (a.Source, a.DeviceIndex, a.DeviceUuid)));
    }

    [Fact]
    public void The_stride_is_measured_even_when_the_symbols_suggest_the_old_layout()
    {
        using var nvml = Nvml.Open(Lib("STRIDE=32", "HIDE_R535_SYMBOLS"));
        var list = nvml.Processes(nvml.Device(0), graphics: false);
        Assert.Equal(32, nvml.ProcessStride);
        Assert.Equal(new uint[] { (uint)_visible.Pid, AbsentPid }, list.Select(p => p.Pid));
    }

    [Fact]
    public void A_process_list_that_grows_between_calls_is_asked_again()
    {
        var report = Read(Lib("STRIDE=24", "INSUFFICIENT_ONCE"));
        Assert.Equal(2, report.Allocations.Count);
    }

    [Fact]
    public void Not_available_memory_is_null_not_a_huge_number()
    {
        var report = Read(Lib("STRIDE=32", "NA_MEMORY"));
        Assert.Null(report.Allocations.Single(a => a.ProcessId == AbsentPid).UsedBytes);
        Assert.Equal(1L << 30, report.Allocations.Single(a => a.ProcessId == _visible.Pid).UsedBytes);
    }

    [Fact]
    public void A_missing_library_is_a_clear_error_naming_it()
    {
        var ex = Assert.Throws<GpuUnavailableException>(() => Read("/nonexistent/libnvidia-ml.so.1"));
        Assert.Contains("/nonexistent/libnvidia-ml.so.1", ex.Message);
    }

    [Fact]
    public void Auto_without_nvml_nvidia_smi_or_regions_says_what_it_tried()
    {
        var ex = Assert.Throws<GpuUnavailableException>(() => new GpuInventory().Read(new GpuQuery
        {
            NvmlLibrary = "/nonexistent/libnvidia-ml.so.1", NvidiaSmi = "/nonexistent/nvidia-smi", HamiCaches = [],
        }));
        Assert.Contains("NVML (/nonexistent/libnvidia-ml.so.1): the library is not installed or cannot be loaded", ex.Message);
        Assert.Contains("nvidia-smi (/nonexistent/nvidia-smi): not found", ex.Message);
        Assert.DoesNotContain('\n', ex.Message); // one line: no runtime advice (strace, LD_DEBUG) for developers
        Assert.DoesNotContain("LD_DEBUG", ex.Message);
    }

    [Fact]
    public void Auto_falls_back_to_nvidia_smi_with_a_warning()
    {
        string smi = NvidiaSmiStandIn.Write(_visible.Pid);
        var report = new GpuInventory().Read(new GpuQuery { NvmlLibrary = "/nonexistent/libnvidia-ml.so.1", NvidiaSmi = smi, HamiCaches = ["/nonexistent/x.cache"] });
        Assert.Contains("nvidia-smi", report.Sources);
        Assert.Contains(report.Warnings, w => w.Contains("used nvidia-smi instead"));
        Assert.Equal(2, report.Devices.Count);
    }
}
