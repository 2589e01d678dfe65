using System.Diagnostics;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Shm;

/// <summary>Any user may set their own file's times outside what DateTimeOffset holds; no scan fails for it.</summary>
public sealed class FileTimeRangeTests
{
    private static void Touch(string path, params string[] args)
    {
        var psi = new ProcessStartInfo("touch") { UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void Times_past_year_9999_and_before_year_1_are_clamped_and_never_make_a_segment_look_old()
    {
        string late = Unique.Name("time-late"), early = Unique.Name("time-early");
        File.WriteAllBytes("/dev/shm/" + late, new byte[64]);
        File.WriteAllBytes("/dev/shm/" + early, new byte[64]);
        try
        {
            Touch("/dev/shm/" + late, "-d", "@253402300800"); // year 10000
            Touch("/dev/shm/" + early, "-m", "-d", "@-62135596900"); // before year 1
            var segments = new ShmInventory().Scan(new ShmQuery { Names = [late, early] }).Segments;
            var l = Assert.Single(segments, s => s.Name == late);
            var e = Assert.Single(segments, s => s.Name == early);
            Assert.Equal(DateTimeOffset.MaxValue, l.Modified);
            Assert.Equal(DateTimeOffset.MaxValue, l.Accessed);
            Assert.Equal(DateTimeOffset.MinValue, e.Modified);
            // A time in the future reads as just used: never Orphaned by age.
            var verdict = new LivenessChecker(TestHost.Liveness(orphanAge: TimeSpan.FromSeconds(1))).Check([l]).Single();
            Assert.Equal(Verdict.Unknown, verdict.Verdict);
            Assert.Equal(TimeSpan.Zero, verdict.Idle);

            var run = ShmToolsCli.Invoke("list", "--json", "--name", late, "--name", early);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("\"modified\":\"9999-12-31T23:59:59.9999999+00:00\"", run.Stdout);
            Assert.Contains("\"modified\":\"0001-01-01T00:00:00+00:00\"", run.Stdout);
        }
        finally
        {
            TestHost.Remove(late, early);
        }
    }
}
