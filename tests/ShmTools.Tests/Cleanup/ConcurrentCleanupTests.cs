using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>
/// Two cleanups at once (a cron job and an admin, say), as whole processes in a private /dev/shm:
/// each stale segment is removed by exactly one of them, nothing held is removed, and neither
/// reports a failure for what the other removed first.
/// </summary>
public sealed class ConcurrentCleanupTests
{
    [RootFact]
    public void Two_cleanups_at_once_remove_each_stale_segment_once_and_nothing_held()
    {
        int dead = PrivateShm.DeadPid();
        const int stale = 400, held = 20;
        string setup = $$"""
            for i in $(seq 1 {{stale}}); do head -c 4096 /dev/zero > /dev/shm/torch_{{dead}}_$i\_0; done
            for i in $(seq 1 {{held}}); do hold python3 "$HOLDER" file /dev/shm held_$i 4096 map > "$WORK/h$i"; done
            for i in $(seq 1 {{held}}); do ready "$WORK/h$i"; done
            """;
        string script = """
            dotnet "$0" clean --yes --json > "$WORK/a.json" 2> "$WORK/a.err" & a=$!
            dotnet "$0" clean --yes --json > "$WORK/b.json" 2> "$WORK/b.err" & b=$!
            wait $a; echo "exitA=$?" >&2; wait $b; echo "exitB=$?" >&2
            echo "left=$(ls /dev/shm | tr '\n' ' ')" >&2
            cat "$WORK/a.json"; echo; echo '@@'; cat "$WORK/b.json"
            """;
        using var run = PrivateShm.Start("64m", setup, "bash", "-c", script, ShmToolsCli.DllPath);
        var r = run.Wait(TimeSpan.FromSeconds(120));
        Assert.True(run.Reported("exitA") == "0" && run.Reported("exitB") == "0", r.Stderr);

        var reports = r.Stdout.Split("@@").Select(part => JsonDocument.Parse(part.Trim()).RootElement).ToArray();
        var removedA = Names(reports[0], "removed");
        var removedB = Names(reports[1], "removed");
        Assert.Empty(removedA.Intersect(removedB));
        var expected = Enumerable.Range(1, stale).Select(i => $"torch_{dead}_{i}_0").ToHashSet();
        Assert.True(expected.SetEquals(removedA.Union(removedB)), $"removed {removedA.Count} + {removedB.Count} of {stale}");
        Assert.All(reports, rep => Assert.Equal(0, rep.GetProperty("failed").GetArrayLength()));
        Assert.All(reports, rep => Assert.Equal(0, rep.GetProperty("stranded").GetArrayLength()));

        var left = run.Reported("left")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.True(Enumerable.Range(1, held).All(i => left.Contains($"held_{i}")), "a held segment was removed: left " + string.Join(" ", left));
        Assert.DoesNotContain(left, n => n.StartsWith("torch_", StringComparison.Ordinal) || n.StartsWith(".shmtools-", StringComparison.Ordinal));
    }

    /// <summary>
    /// Both wait behind a third process's lock, then run one after the other: the second sees
    /// only what the first left (the held ones), so it reports no stale segment as kept.
    /// </summary>
    [RootFact]
    public void Two_cleanups_that_waited_for_the_lock_report_only_what_each_really_found()
    {
        int dead = PrivateShm.DeadPid();
        const int stale = 500, held = 10;
        string setup = $$"""
            for i in $(seq 1 {{stale}}); do head -c 4096 /dev/zero > /dev/shm/torch_{{dead}}_$i\_0; done
            for i in $(seq 1 {{held}}); do hold python3 "$HOLDER" file /dev/shm held_$i 4096 map > "$WORK/h$i"; done
            for i in $(seq 1 {{held}}); do ready "$WORK/h$i"; done
            """;
        string script = """
            python3 -c 'import fcntl,os,time
            fd=os.open("/dev/shm",os.O_RDONLY); fcntl.flock(fd,fcntl.LOCK_EX); print("locked",flush=True); time.sleep(1)' > "$WORK/lock" & l=$!
            while [ ! -s "$WORK/lock" ]; do sleep 0.02; done
            dotnet "$0" clean --yes --json > "$WORK/a.json" 2> "$WORK/a.err" & a=$!
            dotnet "$0" clean --yes --json > "$WORK/b.json" 2> "$WORK/b.err" & b=$!
            wait $a; echo "exitA=$?" >&2; wait $b; echo "exitB=$?" >&2; wait $l
            cat "$WORK/a.json"; echo; echo '@@'; cat "$WORK/b.json"
            """;
        using var run = PrivateShm.Start("64m", setup, "bash", "-c", script, ShmToolsCli.DllPath);
        var r = run.Wait(TimeSpan.FromSeconds(120));
        Assert.True(run.Reported("exitA") == "0" && run.Reported("exitB") == "0", r.Stderr);
        var reports = r.Stdout.Split("@@").Select(part => JsonDocument.Parse(part.Trim()).RootElement).ToArray();
        var removed = reports.SelectMany(rep => Names(rep, "removed")).ToList();
        Assert.Equal(stale, removed.Count);
        Assert.Equal(stale, removed.Distinct().Count());
        foreach (var rep in reports)
        {
            var kept = Names(rep, "kept");
            Assert.True(kept.All(n => n.StartsWith("held_", StringComparison.Ordinal)),
                "a report keeps what the other removed: " + string.Join(", ", kept.Where(n => !n.StartsWith("held_", StringComparison.Ordinal)).Take(5)));
            Assert.Equal(held, kept.Count);
        }
    }

    private static HashSet<string> Names(JsonElement report, string list) =>
        report.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToHashSet();
}
