using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary><c>shmtools check</c> and <c>clean</c> as scripts and cron jobs use them.</summary>
public sealed class CheckAndCleanVerbTests
{
    private static string[] Ignore => TestHost.ForeignUnreadableProcesses.SelectMany(p => new[] { "--ignore-invisible", p.ToString() }).ToArray();

    private static string DeadSegment()
    {
        var p = HeldSegment.Start("idle");
        int pid = p.Pid;
        p.Dispose();
        string name = $"torch_{pid}_{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[8192]);
        return name;
    }

    [Fact]
    public void Check_json_gives_verdict_reason_and_evidence()
    {
        using var live = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "map");
        string stale = DeadSegment();
        try
        {
            var run = ShmToolsCli.Invoke(["check", "--json", "--name", live.Name!, "--name", stale, .. Ignore]);
            Assert.Equal(0, run.ExitCode);
            var results = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            Assert.Equal("Live", results[live.Name!].GetProperty("verdict").GetString());
            Assert.Equal("Stale", results[stale].GetProperty("verdict").GetString());
            foreach (var r in results.Values)
            {
                foreach (var key in new[] { "name", "kind", "path", "verdict", "reason", "evidence" })
                    Assert.True(r.TryGetProperty(key, out _), "missing " + key);
                Assert.NotEqual(0, r.GetProperty("evidence").GetArrayLength());
                Assert.Equal("posix", r.GetProperty("kind").GetString());
            }
            Assert.Contains(results[stale].GetProperty("evidence").EnumerateArray(), e => e.GetProperty("kind").GetString() == "owner");
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void Clean_is_a_dry_run_unless_yes_and_logs_each_decision()
    {
        string stale = DeadSegment();
        using var live = HeldSegment.Start("file", "/dev/shm", stale.Replace("torch_", "torch_live_"), "4096", "map");
        var log = Path.Combine(Path.GetTempPath(), Unique.Name("audit") + ".jsonl");
        try
        {
            var dry = ShmToolsCli.Invoke(["clean", "--json", "--name", stale, "--name", live.Name!, .. Ignore]);
            Assert.Equal(0, dry.ExitCode);
            var d = JsonDocument.Parse(dry.Stdout).RootElement;
            Assert.True(d.GetProperty("dryRun").GetBoolean());
            Assert.Equal(stale, d.GetProperty("removed")[0].GetProperty("name").GetString());
            Assert.Equal(live.Name, d.GetProperty("kept")[0].GetProperty("name").GetString());
            Assert.Equal("Live", d.GetProperty("kept")[0].GetProperty("verdict").GetString());
            Assert.True(File.Exists("/dev/shm/" + stale));

            var real = ShmToolsCli.Invoke(["clean", "--yes", "--json", "--log", log, "--name", stale, "--name", live.Name!, .. Ignore]);
            Assert.Equal(0, real.ExitCode);
            var r = JsonDocument.Parse(real.Stdout).RootElement;
            Assert.False(r.GetProperty("dryRun").GetBoolean());
            var removed = r.GetProperty("removed")[0];
            Assert.Equal(stale, removed.GetProperty("name").GetString());
            Assert.Equal(8192, removed.GetProperty("bytesFreed").GetInt64());
            Assert.Equal(8192, r.GetProperty("bytesFreed").GetInt64());
            Assert.Equal(0, r.GetProperty("failed").GetArrayLength());
            Assert.False(File.Exists("/dev/shm/" + stale));
            Assert.True(File.Exists("/dev/shm/" + live.Name));
            // kept (live), the intent to remove the stale one (before it went), its outcome
            Assert.Equal(["outcome", "intent", "outcome"], File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("phase").GetString()));
        }
        finally
        {
            File.Delete(log);
            TestHost.Remove(stale);
        }
    }

    [Theory]
    [InlineData("clean", "--include-orphaned")]
    [InlineData("clean", "--older-than", "soon")]
    [InlineData("check", "--probe-timeout", "-3s")]
    [InlineData("check", "--probe-timeout", "NaN")]
    [InlineData("check", "--probe-timeout", "1e300ms")]
    [InlineData("check", "--probe-timeout", "2ms")]
    [InlineData("check", "--probe-timeout", "99999999999999999999d")]
    [InlineData("check", "--orphan-age", "-1h")]
    [InlineData("check", "--orphan-age", "Infinity")]
    [InlineData("clean", "--older-than", "1e300ms")]
    [InlineData("list", "--pid", "-1")]
    [InlineData("check", "--pid", "0")]
    [InlineData("list", "--kind", "1")]
    [InlineData("plan", "--model", "x.yaml", "--strategy", "0")]
    [InlineData("gpu", "--source", "everything")]
    [InlineData("clean", "--log", "/nonexistent-dir/audit.jsonl", "--name", "no-such-segment-at-all")]
    public void Bad_clean_and_check_arguments_exit_2(params string[] args)
    {
        var run = ShmToolsCli.Invoke(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("shmtools:", run.Stderr);
    }

    [RootFact]
    public void An_unprivileged_checker_sees_a_lease_it_cannot_attribute_and_removes_nothing_it_cannot_see()
    {
        string leased = Unique.Name("lease-nobody"), silent = Unique.Name("lease-silent");
        using var a = HeldSegment.Participant("posix", leased, "4096", "--lock", "--mode", "666");
        using var b = HeldSegment.Participant("posix", silent, "4096", "--mode", "666");
        try
        {
            // As nobody, root's holders are invisible: the lock lease still shows the first is live,
            // and the second (held, but invisibly) must not be judged stale.
            var run = ShmToolsCli.InvokeAs("65534", ["check", "--json", "--name", leased, "--name", silent, "--probe-timeout", "300ms"]);
            Assert.Equal(0, run.ExitCode);
            var results = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            Assert.Equal("Live", results[leased].GetProperty("verdict").GetString());
            Assert.Equal("lock lease held (ofd)", results[leased].GetProperty("reason").GetString());
            Assert.NotEqual("Stale", results[silent].GetProperty("verdict").GetString());

            var clean = ShmToolsCli.InvokeAs("65534", ["clean", "--yes", "--all-users", "--json", "--name", leased, "--name", silent]);
            Assert.Equal(0, clean.ExitCode);
            Assert.Equal(0, JsonDocument.Parse(clean.Stdout).RootElement.GetProperty("removed").GetArrayLength());
            Assert.True(File.Exists("/dev/shm/" + leased) && File.Exists("/dev/shm/" + silent));
        }
        finally
        {
            TestHost.Remove(leased, silent);
        }
    }

    [RootFact]
    public void Another_user_s_check_leaves_a_segment_looking_as_old_as_it_was()
    {
        // Root's file that anyone may read and write, untouched for three hours (atime = mtime, so
        // a read would move the atime): nobody's check must not make it look just used.
        var (name, path, old) = ThreeHourOldRootFile("unseen", "666");
        try
        {
            var before = File.GetLastAccessTimeUtc(path);
            var run = ShmToolsCli.InvokeAs("65534", ["check", "--json", "--name", name, "--probe-timeout", "100ms"]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal(before, File.GetLastAccessTimeUtc(path));
            Assert.Equal(old, File.GetLastWriteTimeUtc(path));
            var verdict = JsonDocument.Parse(run.Stdout).RootElement[0];
            Assert.NotEqual("Stale", verdict.GetProperty("verdict").GetString());
            // Root still sees it as three hours old.
            var again = JsonDocument.Parse(ShmToolsCli.Invoke("check", "--json", "--name", name).Stdout).RootElement[0];
            Assert.Contains(again.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("finding").GetString() == "untouched for 3 h");
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    [RootFact]
    public void Another_user_s_clean_says_a_root_segment_is_kept_for_its_owner()
    {
        // Root's file that others may only read, untouched for three hours and held by nobody:
        // nobody's clean keeps it, and says why in the words that decide it (the owner).
        var (name, path, _) = ThreeHourOldRootFile("roots", "644");
        try
        {
            var run = ShmToolsCli.InvokeAs("65534", ["clean", "--json", "--name", name, "--probe-timeout", "100ms"]);
            Assert.Equal(0, run.ExitCode);
            var kept = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("kept").EnumerateArray().Single();
            Assert.StartsWith("owned by root:", kept.GetProperty("reason").GetString());
            Assert.True(File.Exists(path));
        }
        finally
        {
            TestHost.Remove(name);
        }
    }

    /// <summary>A root-owned file of 8 KiB in /dev/shm with this mode, its access and modification times three hours back.</summary>
    private static (string Name, string Path, DateTime Old) ThreeHourOldRootFile(string tag, string octalMode)
    {
        string name = Unique.Name(tag);
        string path = "/dev/shm/" + name;
        File.WriteAllBytes(path, new byte[8192]);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octalMode, 8));
        var old = DateTime.UtcNow.AddHours(-3);
        File.SetLastAccessTimeUtc(path, old);
        File.SetLastWriteTimeUtc(path, old);
        return (name, path, old);
    }

    [Theory]
    [InlineData(new[] { "list", "--pid", "abc" }, "--pid takes a whole number, not 'abc'.")]
    [InlineData(new[] { "bogus" }, "Unrecognized command or argument 'bogus'.")]
    public void A_parse_error_is_said_once_in_plain_words(string[] args, string expected)
    {
        var run = ShmToolsCli.Invoke(args);
        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["shmtools: " + expected, "Try 'shmtools --help'."], lines);
    }
}
