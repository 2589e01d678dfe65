using System.Globalization;
using System.Text;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>The path of a file a process maps, asked of the kernel afterwards (a pass by query keeps none).</summary>
public static class MappedPaths
{
    /// <summary>
    /// The path (" (deleted)" at the end of an unlinked file) of <paramref name="h"/>'s mapping,
    /// if the process still maps <paramref name="key"/> at the same address; null otherwise, or
    /// when the holding is no mapping, or the kernel has no such query.
    /// </summary>
    public static string? Of(string procRoot, Holding h, FileKey key)
    {
        if (h.Via != AttachmentKind.Map || h.Tid != null) return null;
        int fd = MapsQuery.Open($"{procRoot}/{h.Pid.ToString(CultureInfo.InvariantCulture)}/maps");
        if (fd < 0) return null;
        try
        {
            Span<byte> name = stackalloc byte[4096];
            if (MapsQuery.NameAt(fd, h.MapStart, name, out var m, out int length) != 0) return null;
            if (m.Start != h.MapStart || m.Device != key.Device || m.Inode != key.Inode || length <= 0) return null;
            return Encoding.UTF8.GetString(name[..length]);
        }
        finally
        {
            MapsQuery.Close(fd);
        }
    }
}
