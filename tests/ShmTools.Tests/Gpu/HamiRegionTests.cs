using ShmTools.Core.Gpu;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Gpu;

/// <summary>HAMi-core regions written by a C program from the documented layouts (v0 and v1).</summary>
public sealed class HamiRegionTests : IDisposable
{
    private const string PodUid = "0b6c4b5e-3d2a-4f6b-9c1d-2e3f4a5b6c7d";
    private readonly string _dir = Directory.CreateTempSubdirectory("shmtools-hami-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Region(string version, params (int Pid, int HostPid)[] slots)
    {
        string dir = Path.Combine(_dir, "containers", PodUid + "_trainer");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".cache");
        NativeBuild.Run(NativeBuild.Program("hami_region.c"), version, path, "1", string.Join(",", slots.Select(s => $"{s.Pid}:{s.HostPid}")));
        return path;
    }

    [Theory]
    [InlineData("v1", 1)]
    [InlineData("v0", 0)]
    public void Slots_give_usage_limits_pod_and_stale_entries(string version, int layout)
    {
        using var live = HeldSegment.Start("idle");
        var dead = HeldSegment.Start("idle");
        int deadPid = dead.Pid;
        dead.Dispose();
        string path = Region(version, (7, live.Pid), (8, deadPid), (9, 0));

        var region = HamiRegionReader.Read(path);
        Assert.Equal(layout, region.LayoutVersion);
        Assert.Equal(3, region.Slots.Count);
        Assert.Equal(4L << 30, region.LimitBytes[0]);
        Assert.Equal(50, region.SmLimitPercent[0]);
        Assert.Equal("GPU-11111111-2222-3333-4444-555555555555", region.DeviceUuids[0]);
        Assert.Equal((PodUid, "trainer"), region.Owner);

        var report = new GpuInventory().Read(new GpuQuery { Source = GpuSource.Hami, HamiCaches = [Path.Combine(_dir, "containers", "*", "*.cache")] });
        Assert.Equal(["hami"], report.Sources);
        var a = report.Allocations.Single(x => x.ProcessId == live.Pid);
        Assert.Equal((7, 1L << 30, 300L << 20, 20L << 20), (a.ContainerPid!.Value, a.DataBytes!.Value, a.ContextBytes!.Value, a.ModuleBytes!.Value));
        Assert.Equal((1L << 30) + (320L << 20), a.UsedBytes);
        Assert.Equal(4L << 30, a.LimitBytes);
        Assert.Equal(PodUid, a.PodUid);
        Assert.False(a.Stale);
        Assert.True(a.VisibleHere);
        Assert.True(report.Allocations.Single(x => x.ProcessId == deadPid).Stale); // a leaked slot
        var unknown = report.Allocations.Single(x => x.ContainerPid == 9);
        Assert.False(unknown.Stale); // no host pid: cannot tell
        Assert.False(unknown.VisibleHere);
    }

    [Fact]
    public void Truncated_and_garbage_files_are_rejected_with_the_reason()
    {
        string good = Region("v1", (1, 1));
        string truncated = Path.Combine(_dir, "truncated.cache");
        File.WriteAllBytes(truncated, File.ReadAllBytes(good)[..100_000]);
        string garbage = Path.Combine(_dir, "garbage.cache");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 5000).Select(i => (byte)(i * 37)).ToArray());

        var t = Assert.Throws<InvalidDataException>(() => HamiRegionReader.Read(truncated));
        Assert.Contains(truncated, t.Message);
        Assert.Contains("truncated", t.Message);
        var g = Assert.Throws<InvalidDataException>(() => HamiRegionReader.Read(garbage));
        Assert.Contains("no HAMi-core magic", g.Message);

        var report = new GpuInventory().Read(new GpuQuery { Source = GpuSource.Hami, HamiCaches = [good, truncated, garbage] });
        Assert.Single(report.Allocations);
        Assert.Equal(2, report.Warnings.Count);
        Assert.Contains(garbage, Assert.Throws<GpuInputException>(() => new GpuInventory().Read(new GpuQuery { Source = GpuSource.Hami, HamiCaches = [garbage] })).Message);
    }
}
