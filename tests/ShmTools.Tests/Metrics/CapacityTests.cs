using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Metrics;

/// <summary>
/// shmtools df against /dev/shm mounts whose every byte the test put there: a private tmpfs of a
/// known size with a live segment (mapped by a real process) and a stale one (its creator dead),
/// and, with --all-namespaces, a second mount namespace with its own tmpfs.
/// </summary>
public sealed class CapacityTests
{
    private const long Stale = 3 << 20;
    private const long LiveResident = 8192; // holder.py writes the first 8 KiB of its file

    private static string Setup(int deadPid) => $"""
        head -c {Stale} /dev/zero > /dev/shm/torch_{deadPid}_77_0
        hold python3 "$HOLDER" file /dev/shm live_capacity 1048576 map > "$WORK/live.json"
        ready "$WORK/live.json"
        echo "live=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$WORK/live.json")" >&2
        """;

    private static string[] Df(params string[] extra) =>
        ["dotnet", ShmToolsCli.DllPath, "df", "--json", .. IgnoreForeign(), .. extra];

    private static string[] IgnoreForeign() =>
        TestHost.ForeignUnreadableProcesses.SelectMany(p => new[] { "--ignore-invisible", p.ToString() }).ToArray();

    [RootFact]
    public void Own_mount_reports_size_used_and_bytes_by_verdict_exactly()
    {
        int dead = PrivateShm.DeadPid();
        using var run = PrivateShm.Start("16m", Setup(dead), Df());
        var r = run.Wait(TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        var mount = Assert.Single(doc.GetProperty("mounts").EnumerateArray());
        Assert.Equal("/dev/shm", mount.GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, mount.GetProperty("namespace").ValueKind);
        Assert.Equal(16L << 20, mount.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Stale + LiveResident, mount.GetProperty("usedBytes").GetInt64());
        Assert.Equal((16L << 20) - Stale - LiveResident, mount.GetProperty("freeBytes").GetInt64());
        Assert.Equal(Math.Round(100.0 * (Stale + LiveResident) / (16 << 20), 2), mount.GetProperty("percentUsed").GetDouble());
        Assert.Equal(2, mount.GetProperty("segmentCount").GetInt32());
        Assert.Equal(Stale, mount.GetProperty("staleBytes").GetInt64());
        Assert.Equal(LiveResident, mount.GetProperty("liveBytes").GetInt64());
        Assert.Equal(0, mount.GetProperty("orphanedBytes").GetInt64());
        Assert.Equal(0, mount.GetProperty("unknownBytes").GetInt64());
        var top = mount.GetProperty("topProducers").EnumerateArray().ToList();
        Assert.Equal(("pytorch", Stale), (top[0].GetProperty("producer").GetString(), top[0].GetProperty("bytes").GetInt64()));
        Assert.Equal(("(unrecognised)", LiveResident), (top[1].GetProperty("producer").GetString(), top[1].GetProperty("bytes").GetInt64()));
        var holder = Assert.Single(mount.GetProperty("topHolders").EnumerateArray());
        Assert.Equal(int.Parse(run.Reported("live")!), holder.GetProperty("pid").GetInt32());
        Assert.StartsWith("python", holder.GetProperty("processName").GetString());
        Assert.Equal(LiveResident, holder.GetProperty("bytes").GetInt64());
        // Every process was read; in a pid namespace of its own the scan is still partial, and says why.
        var limits = doc.GetProperty("visibilityLimits").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Equal(TestHost.InOwnPidNamespace, doc.GetProperty("partial").GetBoolean());
        Assert.Equal(TestHost.InOwnPidNamespace ? 1 : 0, limits.Count);
        Assert.All(limits, l => Assert.StartsWith("this process runs in a pid namespace of its own (pid:[", l));
        var sysv = doc.GetProperty("sysV");
        Assert.Equal(ulong.Parse(File.ReadAllText("/proc/sys/kernel/shmmni").Trim()), sysv.GetProperty("shmMni").GetUInt64());
        Assert.Equal(ulong.Parse(File.ReadAllText("/proc/sys/kernel/shmmax").Trim()), sysv.GetProperty("shmMaxBytes").GetUInt64());
    }

    [RootFact]
    public void All_namespaces_adds_a_row_per_other_tmpfs_with_the_process_that_reached_it()
    {
        int dead = PrivateShm.DeadPid();
        // A second mount namespace (a "container") whose /dev/shm is an 8 MiB tmpfs holding 1 MiB
        // that nothing holds and no rule names: Unknown, never Stale.
        string setup = Setup(dead) + """

            hold unshare -m --propagation private sh -c 'mount -t tmpfs -o size=8m inner /dev/shm && head -c 1048576 /dev/zero > /dev/shm/inner_data && echo up > /dev/shm/.ready && exec cat' 
            echo "inner=$!" >&2
            for _ in $(seq 200); do [ -e /proc/$!/root/dev/shm/.ready ] && break; sleep 0.1; done
            """;
        using var run = PrivateShm.Start("16m", setup, Df("--all-namespaces"));
        var r = run.Wait(TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var mounts = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("mounts").EnumerateArray().ToList();
        var own = Assert.Single(mounts, m => m.GetProperty("namespace").ValueKind == JsonValueKind.Null);
        Assert.Equal(16L << 20, own.GetProperty("sizeBytes").GetInt64());
        int inner = int.Parse(run.Reported("inner")!);
        var other = Assert.Single(mounts, m => m.GetProperty("viaPid").ValueKind == JsonValueKind.Number && m.GetProperty("viaPid").GetInt32() == inner);
        Assert.Equal(8L << 20, other.GetProperty("sizeBytes").GetInt64());
        Assert.Equal((1L << 20) + 4096, other.GetProperty("usedBytes").GetInt64()); // inner_data and the 3-byte .ready
        Assert.Equal($"/proc/{inner}/root/dev/shm", other.GetProperty("path").GetString());
        Assert.StartsWith("mnt:[", other.GetProperty("namespace").GetString());
        Assert.Equal(0, other.GetProperty("staleBytes").GetInt64());
        Assert.Equal((1L << 20) + 4096, other.GetProperty("unknownBytes").GetInt64());
        Assert.NotEqual(own.GetProperty("device").GetString(), other.GetProperty("device").GetString());
    }

    [RootFact]
    public void Table_names_the_mount_its_fill_and_its_top_producer()
    {
        int dead = PrivateShm.DeadPid();
        using var run = PrivateShm.Start("16m", Setup(dead), ["dotnet", ShmToolsCli.DllPath, "df", .. IgnoreForeign()]);
        var r = run.Wait(TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.StartsWith("MOUNT", lines[0]);
        Assert.Contains("/dev/shm", lines[1]);
        Assert.Contains("16 MiB", lines[1]);
        Assert.Contains("pytorch 3.0 MiB", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("System V:"));
    }

    [Fact]
    public void A_negative_top_is_a_usage_error()
    {
        var r = ShmToolsCli.Invoke("df", "--top", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--top", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}
