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
    public void Hostile_text_and_every_kind_of_timestamp_are_written_as_the_serializer_writes_them()
    {
        string[] texts = ["plain", "quote\"back\\slash", "ctl\n\t\u0001\u001b[2J", "html<b>&'+`", "ümlaut ü 日本", "emoji \U0001F600", "", "\u2028\u2029\u202e", "lone \ud800 high", "a\ud83dz", "\udfff"];
        DateTimeOffset[] times =
        [
            new(2026, 12, 2, 19, 35, 1, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 2, 19, 35, 1, TimeSpan.Zero).AddTicks(1234500),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(5.5)).AddTicks(1),
            new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.FromHours(-8)).AddTicks(9_999_999),
            // The same clock time in another zone, then the same instant in another zone: neither is the time before it.
            new(2026, 12, 2, 19, 35, 1, TimeSpan.FromHours(1)),
            new(2026, 12, 2, 20, 35, 1, TimeSpan.FromHours(2)),
        ];
        var many = new List<ShmSegment>();
        for (int i = 0; i < texts.Length * times.Length; i++)
        {
            string t = texts[i % texts.Length];
            var time = times[i % times.Length];
            many.Add(new ShmSegment
            {
                Name = t, Kind = (SegmentKind)(i % 4), Path = "/dev/shm/" + t, Device = i % 2 == 0 ? null : t, Inode = ulong.MaxValue - (ulong)i,
                SizeBytes = long.MaxValue - i, ResidentBytes = -i, Owner = t, OwnerUid = i % 3 == 0 ? null : uint.MaxValue, Mode = "0600",
                Modified = time, Accessed = i % 2 == 0 ? null : time, Created = time.AddTicks(i), Changed = time.AddTicks(10 * i),
                Producer = i % 3 == 0 ? t : null, OwnerPidHint = int.MaxValue, Creator = t, Namespace = i % 2 == 0 ? t : null,
                SysVKey = int.MinValue, SysVId = i, CreatorPid = 0, LastPid = -1, AttachCount = i % 2 == 0 ? null : 3,
                Attachments = Enumerable.Range(0, i % 3).Select(k => new ShmTools.Core.Shm.Attachment(k + 1, t, i % 2 == 0 ? null : t, (ShmTools.Core.Processes.AttachmentKind)(k % 3), long.MinValue + k, ulong.MaxValue)).ToList(),
            });
        }
        var expected = JsonNode.Parse(JsonSerializer.Serialize(many, CliJsonContext.Default.ListShmSegment));
        var stream = new MemoryStream();
        SegmentJsonWriter.Write(stream, many);
        var actual = JsonNode.Parse(stream.ToArray());
        for (int i = 0; i < many.Count; i++)
            Assert.True(JsonNode.DeepEquals(expected![i], actual![i]), $"segment {i}: {actual[i]!.ToJsonString()}\nexpected {expected[i]!.ToJsonString()}");
        Assert.Equal(many.Count, actual!.AsArray().Count);
    }

    [Fact]
    public void A_time_is_written_anew_when_only_its_zone_differs_from_the_one_before()
    {
        var clock = new DateTimeOffset(2026, 12, 2, 19, 35, 1, TimeSpan.Zero).AddTicks(5);
        var one = new ShmSegment
        {
            Name = "t", Kind = SegmentKind.Posix, Path = "/dev/shm/t", Inode = 1, SizeBytes = 1, ResidentBytes = 0, Mode = "0600", Attachments = [],
            Modified = clock, Accessed = new DateTimeOffset(clock.DateTime, TimeSpan.FromHours(1)),
            Created = clock.ToOffset(TimeSpan.FromHours(-3)), Changed = clock.ToOffset(TimeSpan.FromHours(-3)),
        };
        var expected = JsonNode.Parse(JsonSerializer.Serialize(new List<ShmSegment> { one, one }, CliJsonContext.Default.ListShmSegment));
        var stream = new MemoryStream();
        SegmentJsonWriter.Write(stream, [one, one]);
        var actual = JsonNode.Parse(stream.ToArray());
        Assert.True(JsonNode.DeepEquals(expected, actual), actual!.ToJsonString());
        Assert.Equal("2026-12-02T19:35:01.0000005+01:00", (string?)actual![1]!["accessed"]);
    }

    [Fact]
    public void An_empty_list_is_an_empty_array()
    {
        var stream = new MemoryStream();
        SegmentJsonWriter.Write(stream, []);
        Assert.Equal("[]", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
