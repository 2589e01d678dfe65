using System.Text.Json;
using System.Text.Json.Nodes;
using ShmTools.Cli;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Tests.Cli;

/// <summary>The hand-written writer for `clean --json` must say exactly what the generated serializer says.</summary>
public sealed class CleanupJsonWriterTests
{
    private static RemovalRecord Record(int i)
    {
        var actions = Enum.GetValues<CleanupAction>();
        var verdicts = Enum.GetValues<Verdict>();
        var kinds = Enum.GetValues<SegmentKind>();
        string name = (i % 5) switch
        {
            0 => "torch_" + i + "_1_0",
            1 => "quote\"back\\slash<tag>&'+`" + i,
            2 => "line\nbreak\ttab\u0001" + i,
            3 => "caf\u00e9 \ud83d\ude00 " + i,
            _ => "lone\ud800surrogate" + i,
        };
        return new RemovalRecord
        {
            Name = name,
            Kind = kinds[i % kinds.Length],
            Path = "/dev/shm/" + name,
            Action = actions[i % actions.Length],
            Verdict = verdicts[i % verdicts.Length],
            Reason = "reason " + i + (i % 3 == 0 ? " with \"quotes\"" : ""),
            BytesFreed = i % 2 == 0 ? 4096L * i : 0,
            Error = i % 4 == 0 ? "cannot remove: permission denied" : null,
            QuarantineName = i % 7 == 0 ? ".shmtools-quarantine-" + i : null,
            Time = new DateTimeOffset(2026, 12, 3, 22, 16, 16, TimeSpan.FromHours(i % 3 - 1)).AddTicks(i % 4 == 0 ? 0 : i * 1234567L % 10_000_000),
        };
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3, false)]
    [InlineData(6000, true)]
    public void Writes_the_same_json_as_the_source_generated_serializer(int count, bool dryRun)
    {
        var report = new CleanupReport(dryRun, Enumerable.Range(0, count).Select(Record).ToList());
        if (count > 1000) Assert.True(report.Kept.Count() > 2 * JsonChunks.BatchSize, "the kept list is not long enough to be written on two threads");
        var expected = JsonNode.Parse(JsonSerializer.Serialize(report, CliJsonContext.Default.CleanupReport));
        var stream = new MemoryStream();
        CleanupJsonWriter.Write(stream, report);
        var actual = JsonNode.Parse(stream.ToArray());
        Assert.True(JsonNode.DeepEquals(expected, actual), "hand-written clean JSON differs from the generated serializer's");
        Assert.Equal(report.Removed.Count(), actual!["removed"]!.AsArray().Count);
    }
}
