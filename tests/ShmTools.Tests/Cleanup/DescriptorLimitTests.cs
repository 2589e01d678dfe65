using System.Text.Json;
using ShmTools.Core.Cleanup;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>A parked segment keeps a descriptor open: batches fit the descriptors a process may still open.</summary>
public sealed class DescriptorLimitTests
{
    [Theory]
    [InlineData(null, null, 512)]
    [InlineData(1_048_576L, 40, 512)]
    [InlineData(1024L, 40, 460)]
    [InlineData(300L, 40, 98)]
    [InlineData(300L, null, 86)]
    [InlineData(100L, 90, 1)]
    public void A_batch_takes_at_most_half_of_the_free_descriptors(long? limit, int? open, int expected) =>
        Assert.Equal(expected, StaleSegmentCleaner.BatchSizeFor(limit, open));

    [RootFact]
    public void Under_a_low_descriptor_limit_clean_removes_everything_and_logs_every_outcome()
    {
        int dead = PrivateShm.DeadPid();
        const int stale = 1000;
        string setup = $$"""
            for i in $(seq 1 {{stale}}); do head -c 4096 /dev/zero > /dev/shm/torch_{{dead}}_$i\_0; done
            """;
        string script = """
            ulimit -Sn 300; ulimit -Hn 300
            dotnet "$0" clean --yes --json --log "$WORK/audit.jsonl" > "$WORK/r.json" 2> "$WORK/r.err"; echo "exit=$?" >&2
            echo "left=$(ls -A /dev/shm | wc -l)" >&2
            echo "intents=$(grep -c '"phase":"intent"' "$WORK/audit.jsonl")" >&2
            echo "outcomes=$(grep -c '"phase":"outcome"' "$WORK/audit.jsonl")" >&2
            cat "$WORK/r.err" >&2; cat "$WORK/r.json"
            """;
        using var run = PrivateShm.Start("64m", setup, "bash", "-c", script, ShmToolsCli.DllPath);
        var r = run.Wait(TimeSpan.FromSeconds(120));
        Assert.True(run.Reported("exit") == "0", r.Stderr);
        Assert.Equal(stale, JsonDocument.Parse(r.Stdout).RootElement.GetProperty("removed").GetArrayLength());
        Assert.Equal("0", run.Reported("left"));
        Assert.Equal(stale.ToString(), run.Reported("intents"));
        Assert.Equal(stale.ToString(), run.Reported("outcomes"));
    }
}
