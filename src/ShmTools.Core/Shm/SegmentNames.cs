using System.Text;
using ShmTools.Core.Native;

namespace ShmTools.Core.Shm;

/// <summary>Segment names only (for completion): one directory read and the SysV table, no /proc pass.</summary>
public static class SegmentNames
{
    public static List<string> List(InventorySources? sources = null)
    {
        sources ??= InventorySources.System;
        var names = new List<string>();
        int fd = Posix.OpenDirectoryNoLinks(ShmRootDiscovery.OwnDirectory(sources.ShmDirectory));
        if (fd >= 0)
        {
            try
            {
                Posix.ReadDirectory(fd, (name, type, _) =>
                {
                    if (type is UnixFileType.RegularFile or UnixFileType.Unknown) names.Add(Encoding.UTF8.GetString(name[..^1]));
                });
            }
            finally
            {
                Posix.Close(fd);
            }
        }
        try
        {
            var warnings = new List<string>();
            foreach (var row in SysVTableParser.Parse(File.ReadAllText(sources.SysVTable), sources.SysVTable, warnings))
                names.Add(SysVNames.Of(row.Key, row.Id));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
