using ShmTools.Core.Gpu;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Gpu;

public sealed class NvidiaSmiTests
{
    [Fact]
    public void The_csv_queries_give_devices_and_allocations_in_bytes()
    {
        using var live = HeldSegment.Start("idle");
        var report = new GpuInventory().Read(new GpuQuery { Source = GpuSource.NvidiaSmi, NvidiaSmi = NvidiaSmiStandIn.Write(live.Pid) });
        Assert.Equal(["nvidia-smi"], report.Sources);
        Assert.Equal(23034L * 1024 * 1024, report.Devices[0].TotalBytes);
        Assert.Null(report.Devices[1].UsedBytes); // [N/A]
        Assert.Equal(("l4", "t4"), (report.Devices[0].Profile, report.Devices[1].Profile));
        var a = report.Allocations.Single(x => x.ProcessId == live.Pid);
        Assert.Equal((0, 512L * 1024 * 1024, true), (a.DeviceIndex, a.UsedBytes, a.VisibleHere));
        var odd = report.Allocations.Single(x => x.ProcessId == 4100000);
        Assert.Equal("/opt/app, weird, name", odd.ProcessName); // a name with commas
        Assert.Null(odd.UsedBytes);
        Assert.Equal(1, odd.DeviceIndex);
        Assert.False(odd.VisibleHere);
    }

    [Fact]
    public void Garbage_output_names_the_query_and_line()
    {
        var ex = Assert.Throws<InvalidDataException>(() => NvidiaSmiReader.ParseDevices("0, GPU-a, L4, 100, 1\nnot csv at all\n", "nvidia-smi"));
        Assert.Contains("line 2", ex.Message);
    }
}
