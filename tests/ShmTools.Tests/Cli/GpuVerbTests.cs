using System.Text.Json;
using ShmTools.Tests.Gpu;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

public sealed class GpuVerbTests
{
    [Fact]
    public void Json_has_devices_and_allocations_with_the_contract_fields()
    {
        using var live = HeldSegment.Start("idle");
        string lib = NativeBuild.Library("fake_nvml.c", "STRIDE=32", $"PID_A={live.Pid}", "PID_B=4100000");
        var run = ShmToolsCli.Invoke("gpu", "--json", "--nvml-library", lib, "--hami-cache", "/nonexistent/x.cache");
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        var device = root.GetProperty("devices")[0];
        foreach (var key in new[] { "index", "uuid", "name", "totalBytes", "usedBytes" })
            Assert.True(device.TryGetProperty(key, out _), "device lacks " + key);
        var allocations = root.GetProperty("allocations").EnumerateArray().ToList();
        Assert.Equal(2, allocations.Count);
        foreach (var a in allocations)
            foreach (var key in new[] { "deviceIndex", "pid", "processName", "user", "usedBytes", "source", "containerId", "podUid", "limitBytes" })
                Assert.True(a.TryGetProperty(key, out _), "allocation lacks " + key);
        Assert.Contains(allocations, a => a.GetProperty("pid").GetInt32() == live.Pid && a.GetProperty("user").GetString() == "root");
    }

    [Fact]
    public void No_gpu_and_no_regions_exits_3_with_what_was_tried()
    {
        var run = ShmToolsCli.Invoke("gpu", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--nvidia-smi", "/nonexistent/nvidia-smi");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("/nonexistent/libnvidia-ml.so.1", run.Stderr);
    }

    [Fact]
    public void Table_marks_pids_of_other_namespaces()
    {
        using var live = HeldSegment.Start("idle");
        var run = ShmToolsCli.Invoke("gpu", "--source", "nvidia-smi", "--nvidia-smi", NvidiaSmiStandIn.Write(live.Pid));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("4100000*", run.Stdout);
        Assert.Contains("NVIDIA L4", run.Stdout);
    }
}
