using System.Globalization;
using System.Text;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>The path of a file a process maps, asked of the kernel afterwards (a pass by query keeps none).</summary>
public static class MappedPaths
{
    /// <summary>
    /// The path (" (deleted)" at the end of an unlinked file) under which <paramref name="h"/>'s
    /// process maps <paramref name="key"/> now: asked at the holding's address, and read from the
    /// maps text when the query cannot tell (that mapping moved or went while another stays, or a
    /// path longer than the query returns). Null when the process maps the file no more, or the
    /// holding is no mapping.
    /// </summary>
    public static string? Of(string procRoot, Holding h, FileKey key)
    {
        if (h.Via != AttachmentKind.Map || h.Tid != null) return null;
        string maps = $"{procRoot}/{h.Pid.ToString(CultureInfo.InvariantCulture)}/maps";
        int fd = MapsQuery.Open(maps);
        if (fd < 0) return null;
        try
        {
            Span<byte> name = stackalloc byte[4096];
            if (MapsQuery.NameAt(fd, h.MapStart, name, out var m, out int length) == 0
                && m.Start == h.MapStart && m.Device == key.Device && m.Inode == key.Inode && length > 0)
                return Encoding.UTF8.GetString(name[..length]);
        }
        finally
        {
            MapsQuery.Close(fd);
        }
        return FromText(maps, key);
    }

    /// <summary>The path of the first line of the maps text that maps <paramref name="key"/>, or null.</summary>
    private static string? FromText(string maps, FileKey key)
    {
        byte[] buffer = new byte[64 * 1024];
        if (Posix.ReadFile(maps, ref buffer, out int length) != 0) return null;
        var parser = new MapsParser(buffer.AsSpan(0, length));
        while (parser.MoveNext(out var line))
            if (line.Device == key.Device && line.Inode == key.Inode && line.Path.Length > 0)
                return Encoding.UTF8.GetString(line.Path);
        return null;
    }
}
