using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary>
/// A container whose /dev holds no urandom (a minimal /dev of its own). Cleanup's quarantine
/// names and the atomic writes' temporary names need no cryptographic source, so both work there.
/// </summary>
public sealed class NoRandomDeviceTests
{
    /// <summary>A private mount, IPC and pid namespace whose /dev is an empty tmpfs with only shm in it.</summary>
    private static string[] BareDev(string then) =>
        ["unshare", "-m", "-i", "-p", "-f", "--mount-proc", "--propagation", "private", "sh", "-c",
         "mount -t tmpfs none /dev && mkdir /dev/shm && mount -t tmpfs none /dev/shm && " +
         "for i in 1 2 3; do printf 'stale' > /dev/shm/torch_999999_${i}_0; done && " + then, "sh"];

    [RootFact]
    public void Clean_yes_removes_the_stale_segments_in_a_dev_without_urandom()
    {
        var run = ShmToolsCli.InvokeUnder(BareDev("test ! -e /dev/urandom && \"$@\"; rc=$?; printf '\\n__left__\\n'; ls -A /dev/shm; exit $rc"), "clean", "--yes", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        var report = System.Text.Json.JsonDocument.Parse(run.Stdout.Split("\n__left__\n")[0]).RootElement;
        Assert.Equal(3, report.GetProperty("removed").GetArrayLength());
        Assert.Equal(0, report.GetProperty("failed").GetArrayLength());
        Assert.Equal("", run.Stdout.Split("\n__left__\n")[1].Trim()); // nothing left, not even a quarantine name
    }

    [RootFact]
    public void Metrics_output_is_written_atomically_in_a_dev_without_urandom()
    {
        string dir = Path.Combine(Path.GetTempPath(), Unique.Name("norandom"));
        Directory.CreateDirectory(dir);
        try
        {
            string prom = Path.Combine(dir, "shmtools.prom");
            var run = ShmToolsCli.InvokeUnder(BareDev("test ! -e /dev/urandom && exec \"$@\""), "metrics", "--no-gpu", "--output", prom);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.DoesNotContain("   at ", run.Stderr);
            Assert.Contains("shmtools_segments", File.ReadAllText(prom));
            Assert.Equal(["shmtools.prom"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
