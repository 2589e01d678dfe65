namespace ShmTools.Core.Native;

/// <summary>What <c>statx</c> says about one file, in the units the engine uses.</summary>
public readonly record struct FileStatus(
    DeviceId Device,
    ulong Inode,
    UnixFileType Type,
    uint Permissions,
    uint Uid,
    uint Gid,
    uint LinkCount,
    long SizeBytes,
    long AllocatedBytes,
    DateTimeOffset Accessed,
    DateTimeOffset Modified,
    DateTimeOffset Changed,
    DateTimeOffset? Born)
{
    internal static FileStatus From(in StatxBuffer b)
    {
        const uint StatxBtime = 0x800;
        return new FileStatus(
            new DeviceId(b.DevMajor, b.DevMinor),
            b.Inode,
            (UnixFileType)(b.Mode & 0xF000),
            (uint)(b.Mode & 0xFFF),
            b.Uid,
            b.Gid,
            b.NLink,
            (long)b.Size,
            (long)b.Blocks * 512,
            Time(b.AtimeSec, b.AtimeNsec),
            Time(b.MtimeSec, b.MtimeNsec),
            Time(b.CtimeSec, b.CtimeNsec),
            (b.Mask & StatxBtime) != 0 ? Time(b.BtimeSec, b.BtimeNsec) : null);
    }

    private static DateTimeOffset Time(long sec, uint nsec) => UnixTime.FromSeconds(sec, nsec);
}

/// <summary>The file type bits of <c>st_mode</c> (a directory entry's d_type is the same, shifted right by 12).</summary>
public enum UnixFileType : uint
{
    Unknown = 0,
    Fifo = 0x1000,
    CharacterDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    RegularFile = 0x8000,
    SymbolicLink = 0xA000,
    Socket = 0xC000,
}

/// <summary>A device number as the kernel prints it (<c>major:minor</c>).</summary>
public readonly record struct DeviceId(uint Major, uint Minor)
{
    public override string ToString() => $"{Major}:{Minor}";

    /// <summary>Parses <c>fe:00</c> (hex, as in /proc/PID/maps) or <c>0:25</c> (decimal, as in mountinfo).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, bool hex, out DeviceId device)
    {
        device = default;
        int colon = text.IndexOf(':');
        if (colon <= 0) return false;
        var style = hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None;
        if (!uint.TryParse(text[..colon], style, null, out var major)) return false;
        if (!uint.TryParse(text[(colon + 1)..], style, null, out var minor)) return false;
        device = new DeviceId(major, minor);
        return true;
    }
}
