using System.Text;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Tests.Processes;

public sealed class MapsParserTests
{
    private static List<(ulong Start, ulong End, ulong Offset, DeviceId Dev, ulong Inode, string Path)> Parse(string text)
    {
        var list = new List<(ulong, ulong, ulong, DeviceId, ulong, string)>();
        var parser = new MapsParser(Encoding.UTF8.GetBytes(text));
        while (parser.MoveNext(out var l))
            list.Add((l.Start, l.End, l.Offset, l.Device, l.Inode, Encoding.UTF8.GetString(l.Path)));
        return list;
    }

    [Fact]
    public void Reads_device_inode_and_a_path_with_spaces_and_deleted_suffix()
    {
        var lines = Parse(
            "7f0000000000-7f0000002000 rw-s 00001000 00:1a 4242                       /dev/shm/my seg (x) (deleted)\n" +
            "55be81ade000-55be81ae0000 r--p 00000000 fe:00 247270                     /usr/bin/cat\n");
        Assert.Equal(2, lines.Count);
        Assert.Equal((0x7f0000000000UL, 0x7f0000002000UL, 0x1000UL), (lines[0].Start, lines[0].End, lines[0].Offset));
        Assert.Equal(new DeviceId(0, 0x1a), lines[0].Dev);
        Assert.Equal(4242UL, lines[0].Inode);
        Assert.Equal("/dev/shm/my seg (x) (deleted)", lines[0].Path);
        Assert.Equal(new DeviceId(0xfe, 0), lines[1].Dev);
    }

    [Fact]
    public void Skips_anonymous_memory_but_keeps_SysV_shmid_zero()
    {
        var lines = Parse(
            "7ffd1000-7ffd2000 rw-p 00000000 00:00 0                                  [stack]\n" +
            "7f21000-7f22000 rw-p 00000000 00:00 0 \n" +
            "7f211443c000-7f211444c000 rw-s 00000000 00:01 0                          /SYSV00001234 (deleted)\n");
        var l = Assert.Single(lines);
        Assert.Equal(0UL, l.Inode);
        Assert.Equal("/SYSV00001234 (deleted)", l.Path);
    }

    [Fact]
    public void Garbage_lines_are_skipped_and_parsing_continues()
    {
        var lines = Parse("not a maps line\n\nzzzz-yyyy rw-s 0 0:1 5 /x\n1000-2000 rw-s 00000000 00:1a 7 /dev/shm/a");
        var l = Assert.Single(lines);
        Assert.Equal("/dev/shm/a", l.Path);
    }

    /// <summary>The maps line format, as a pattern: what the parser must accept, and nothing else.</summary>
    private static readonly System.Text.RegularExpressions.Regex Line = new(
        "^([0-9a-fA-F]+)-([0-9a-fA-F]+) [^ ]* ([0-9a-fA-F]+) ([0-9a-fA-F]+):([0-9a-fA-F]+) ([0-9]+) *(.*)$");

    /// <summary>Maps lines, most well formed, some with a field left out, split, damaged or cut short.</summary>
    private static List<string> RandomLines(int seed, int count)
    {
        var rng = new Random(seed);
        string Hex(int max) => string.Concat(Enumerable.Range(0, rng.Next(1, max + 1)).Select(_ => "0123456789abcdefABCDEF"[rng.Next(22)]));
        string Field(string good) => rng.Next(40) switch
        {
            0 => "",
            1 => good + "z",
            2 => good[..(good.Length / 2)] + " " + good[(good.Length / 2)..],
            _ => good,
        };
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            bool anon = rng.Next(3) == 0;
            string dev = anon ? "00:00" : Field(Hex(2) + ":" + Hex(2));
            string ino = anon ? "0" : Field(rng.Next(0, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
            string path = rng.Next(4) == 0 ? "/SYSV" + Hex(8) + " (deleted)" : "/dev/shm/seg" + i;
            string line = $"{Field(Hex(12))}-{Field(Hex(12))} {Field("rw-s")} {Field(Hex(8))} {dev} {ino}{new string(' ', rng.Next(0, 20))}{Field(path)}";
            if (rng.Next(10) == 0) line = line[..rng.Next(line.Length + 1)];
            lines.Add(line);
        }
        return lines;
    }

    [Fact]
    public void Agrees_with_the_format_on_random_and_damaged_lines()
    {
        var lines = RandomLines(20261203, 4000);
        var expected = new List<(ulong, ulong, ulong, DeviceId, ulong, string)>();
        foreach (var l in lines)
        {
            var m = Line.Match(l);
            if (!m.Success) continue;
            ulong H(int g) => ulong.Parse(m.Groups[g].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            var dev = new DeviceId((uint)H(4), (uint)H(5));
            ulong inode = ulong.Parse(m.Groups[6].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (inode == 0 && dev == default) continue;
            expected.Add((H(1), H(2), H(3), dev, inode, m.Groups[7].Value));
        }
        var parsed = Parse(string.Join("\n", lines));
        Assert.True(expected.Count > 1000, $"only {expected.Count} well-formed lines were made");
        Assert.True(expected.Count < lines.Count - 500, "too few damaged lines were made");
        Assert.Equal(expected, parsed);
    }

    /// <summary>Wants lines of devices with an even minor number, and /SYSV lines.</summary>
    private readonly struct EvenMinorOrSysV : IMapsLineFilter
    {
        public bool Wants(DeviceId device, ReadOnlySpan<byte> path) => device.Minor % 2 == 0 || path.StartsWith("/SYSV"u8);
    }

    [Fact]
    public void A_filter_returns_exactly_the_wanted_lines_of_the_whole_parse()
    {
        var text = Encoding.UTF8.GetBytes(string.Join("\n", RandomLines(20261204, 4000)));
        var whole = new List<(ulong, ulong, ulong, DeviceId, ulong, string)>();
        var parser = new MapsParser(text);
        while (parser.MoveNext(out var l))
            if (l.Device.Minor % 2 == 0 || l.Path.StartsWith("/SYSV"u8))
                whole.Add((l.Start, l.End, l.Offset, l.Device, l.Inode, Encoding.UTF8.GetString(l.Path)));
        var filtered = new List<(ulong, ulong, ulong, DeviceId, ulong, string)>();
        parser = new MapsParser(text);
        while (parser.MoveNext(default(EvenMinorOrSysV), out var l))
            filtered.Add((l.Start, l.End, l.Offset, l.Device, l.Inode, Encoding.UTF8.GetString(l.Path)));
        Assert.True(whole.Count > 500 && whole.Count < 3000, $"{whole.Count} lines wanted of 4000");
        Assert.Equal(whole, filtered);
    }
}
