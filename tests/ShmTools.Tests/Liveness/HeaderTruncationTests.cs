using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Liveness;

/// <summary>
/// The truncate-while-probing attack: an unprivileged user truncates their own lease-header file
/// the moment root's prober starts the handshake. Looking through a mapping would end root's run
/// with SIGBUS (exit 135); the prober reads with pread, so that segment is Unknown and the run
/// goes on. Run through the CLI, in its own process, as a cron job would.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class HeaderTruncationTests
{
    private static string[] Ignore => TestHost.ForeignUnreadableProcesses.SelectMany(p => new[] { "--ignore-invisible", p.ToString() }).ToArray();

    private static int DeadPid()
    {
        var p = HeldSegment.Start("idle");
        int pid = p.Pid;
        p.Dispose();
        return pid;
    }

    private static HeldSegment Attacker(string name, int deadPid) => HeldSegment.StartWith("python3",
        [Path.Combine(AppContext.BaseDirectory, "helpers", "truncating_owner.py"), "/dev/shm", name, deadPid.ToString()]);

    [RootFact]
    public void A_header_truncated_during_the_handshake_is_unknown_and_check_goes_on()
    {
        int dead = DeadPid();
        string attacked = Unique.Name("trunc"), stale = $"torch_{dead}_{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}_0";
        File.WriteAllBytes("/dev/shm/" + stale, new byte[8192]);
        using var attacker = Attacker(attacked, dead);
        try
        {
            Assert.Equal(65534, attacker.InfoInt("uid"));
            var run = ShmToolsCli.Invoke(["check", "--json", "--probe-timeout", "2s", "--name", attacked, "--name", stale, .. Ignore]);
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
            Assert.True(attacker.Finish().GetProperty("truncated").GetBoolean(), "the attack did not happen");
            var results = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            Assert.Equal("Unknown", results[attacked].GetProperty("verdict").GetString());
            Assert.Contains("shrank to 0 bytes while it was probed", results[attacked].GetProperty("reason").GetString());
            Assert.Equal("Stale", results[stale].GetProperty("verdict").GetString());
        }
        finally
        {
            TestHost.Remove(attacked, stale);
        }
    }

    [RootFact]
    public void Clean_keeps_the_truncated_segment_and_removes_the_stale_one_in_the_same_run()
    {
        int dead = DeadPid();
        string attacked = Unique.Name("trunc"), stale = $"torch_{dead}_{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}_0";
        File.WriteAllBytes("/dev/shm/" + stale, new byte[8192]);
        using var attacker = Attacker(attacked, dead);
        try
        {
            var run = ShmToolsCli.Invoke(["clean", "--yes", "--all-users", "--json", "--probe-timeout", "2s", "--name", attacked, "--name", stale, .. Ignore]);
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
            Assert.True(attacker.Finish().GetProperty("truncated").GetBoolean(), "the attack did not happen");
            var report = JsonDocument.Parse(run.Stdout).RootElement;
            Assert.Equal(stale, Assert.Single(report.GetProperty("removed").EnumerateArray()).GetProperty("name").GetString());
            var kept = Assert.Single(report.GetProperty("kept").EnumerateArray());
            Assert.Equal((attacked, "Unknown"), (kept.GetProperty("name").GetString(), kept.GetProperty("verdict").GetString()));
            Assert.True(File.Exists("/dev/shm/" + attacked));
            Assert.False(File.Exists("/dev/shm/" + stale));
        }
        finally
        {
            TestHost.Remove(attacked, stale);
        }
    }

    [RootFact]
    public void A_file_that_shrank_below_a_header_since_it_was_listed_is_unknown()
    {
        int dead = DeadPid();
        string name = $"torch_{dead}_{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[8192]);
        File.SetLastWriteTimeUtc("/dev/shm/" + name, DateTime.UtcNow.AddHours(-3));
        try
        {
            var listed = Assert.Single(new ShmTools.Core.Shm.ShmInventory().Scan(new ShmTools.Core.Shm.ShmQuery { ExactNames = new HashSet<string> { name } }).Segments);
            Assert.Equal(8192, listed.SizeBytes);
            // As listed, a dead owner's unheld file is Stale; truncated since, it is no longer what was judged.
            File.WriteAllBytes("/dev/shm/" + name, []);
            var r = new ShmTools.Core.Liveness.LivenessChecker(TestHost.Liveness()).Check([listed])[0];
            Assert.Equal(ShmTools.Core.Liveness.Verdict.Unknown, r.Verdict);
            Assert.Contains("shrank to 0 bytes while it was probed (listed with 8192)", r.Reason);
        }
        finally
        {
            TestHost.Remove(name);
        }
    }
}
