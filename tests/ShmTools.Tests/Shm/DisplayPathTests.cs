using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Tests.Shm;

/// <summary>A segment's path as shown: the path itself when nothing in it needs escaping, else escaped part by part.</summary>
public sealed class DisplayPathTests
{
    private static ShmSegment Segment(string name, string path, byte[]? raw = null, SegmentKind kind = SegmentKind.Posix) =>
        new() { Name = name, RawName = raw, Path = path, Kind = kind, Inode = 1, SizeBytes = 0, ResidentBytes = 0, Attachments = [] };

    /// <summary>What it was defined as: the directory made safe, then the display name; a path not ending in the name escaped whole.</summary>
    private static string Expected(ShmSegment s) =>
        !s.Path.EndsWith("/" + s.Name, StringComparison.Ordinal) ? TerminalText.Name(s.Path)
        : TerminalText.Safe(s.Path[..^s.Name.Length]) + s.DisplayName;

    [Fact]
    public void A_plain_path_is_shown_as_the_same_string()
    {
        var s = Segment("torch_1_2_0", "/dev/shm/torch_1_2_0");
        Assert.Same(s.Path, s.DisplayPath);
    }

    [Fact]
    public void Any_name_and_path_show_as_escaped_part_by_part()
    {
        var rng = new Random(17);
        string[] parts = ["a", "seg", "\u001b[31m", "\\", "\r\n", "\u202e", "\u00e9", "\U0001F600", "x y", "/", "(deleted)", "\u200f"];
        string Pick(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => parts[rng.Next(parts.Length)]));
        for (int i = 0; i < 3000; i++)
        {
            string name = Pick(rng.Next(1, 4)).Replace("/", "");
            if (name.Length == 0) name = "n";
            string dir = rng.Next(5) == 0 ? "/dev/" + Pick(2) : "/dev/shm";
            string path = rng.Next(8) == 0 ? dir + "/other" + name[..^1] : dir + "/" + name;
            byte[]? raw = rng.Next(6) == 0 ? [.. System.Text.Encoding.UTF8.GetBytes(name), 0xff] : null;
            var s = Segment(name, path, raw);
            Assert.Equal(Expected(s), s.DisplayPath);
        }
    }

    [Fact]
    public void A_System_V_path_carries_its_shmid()
    {
        var s = Segment("sysv:0x00000000:7", "/SYSV00000000", kind: SegmentKind.SysV) with { SysVId = 7 };
        Assert.Equal("/SYSV00000000 (shmid 7)", s.DisplayPath);
    }
}
