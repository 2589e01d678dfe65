using System.Text.Json;
using System.Text.Json.Nodes;
using ShmTools.Cli;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary>The hand-rolled writer for `list --json` must say exactly what the generated serializer says.</summary>
public sealed class SegmentJsonWriterTests
{
    [Fact]
    public void Writes_the_same_json_as_the_source_generated_serializer()
    {
        int key = Unique.SysVKey();
        using var sysv = HeldSegment.Start("sysv", key.ToString(), "8192");
        using var posix = HeldSegment.Start("file", "/dev/shm", "torch_" + Environment.ProcessId + "_1_0", "4096", "map");
        using var deleted = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "deleted");
        var segments = new ShmInventory().Scan(new ShmQuery()).Segments.ToList();
        // Enough segments that the writer splits the work across threads.
        var many = Enumerable.Range(0, 3).SelectMany(_ => segments).Concat(Enumerable.Repeat(segments[0], 5000)).ToList();
        Assert.Contains(many, s => s.Kind == SegmentKind.SysV);
        Assert.Contains(many, s => s.Kind == SegmentKind.Deleted);

        var expected = JsonNode.Parse(JsonSerializer.Serialize(many, CliJsonContext.Default.ListShmSegment));
        var stream = new MemoryStream();
        SegmentJsonWriter.Write(stream, many);
        var actual = JsonNode.Parse(stream.ToArray());
        Assert.True(JsonNode.DeepEquals(expected, actual), "hand-written JSON differs from the generated serializer's");
        Assert.Equal(many.Count, actual!.AsArray().Count);
    }

    [Fact]
    public void Check_results_are_written_as_the_generated_serializer_would()
    {
        using var live = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "map");
        var p = HeldSegment.Start("idle");
        int pid = p.Pid;
        p.Dispose();
        string stale = $"torch_{pid}_{Random.Shared.Next(1, 1 << 30)}_0";
        File.WriteAllBytes("/dev/shm/" + stale, new byte[4096]);
        try
        {
            var segments = new ShmInventory().Scan(new ShmQuery { Names = [live.Name!, stale] }).Segments;
            var results = new ShmTools.Core.Liveness.LivenessChecker(TestHost.Liveness()).Check(segments);
            var many = Enumerable.Repeat(results, 1500).SelectMany(r => r).ToList();
            Assert.Contains(many, r => r.Idle != null && r.OwnerPid != null);
            var expected = JsonNode.Parse(JsonSerializer.Serialize(many, CliJsonContext.Default.ListLivenessResult));
            var stream = new MemoryStream();
            LivenessJsonWriter.Write(stream, many);
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(stream.ToArray())), "hand-written check JSON differs from the generated serializer's");
        }
        finally
        {
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void An_empty_list_is_an_empty_array()
    {
        var stream = new MemoryStream();
        SegmentJsonWriter.Write(stream, []);
        Assert.Equal("[]", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
