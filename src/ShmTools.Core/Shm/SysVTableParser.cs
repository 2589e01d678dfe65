using System.Globalization;

namespace ShmTools.Core.Shm;

/// <summary>
/// Parses /proc/sysvipc/shm. Columns are found by the header's names, so older kernels without
/// rss/swap still parse; a line that does not fit is skipped with a warning naming its number.
/// </summary>
public static class SysVTableParser
{
    private static readonly string[] Required = ["key", "shmid", "perms", "size", "cpid", "lpid", "nattch", "uid", "gid"];

    public static List<SysVSegmentRow> Parse(string text, string sourceName, List<string> warnings)
    {
        var rows = new List<SysVSegmentRow>();
        var lines = text.Split('\n');
        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
            return rows;
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var col = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++) col[header[i]] = i;
        foreach (var name in Required)
        {
            if (!col.ContainsKey(name))
            {
                warnings.Add($"{sourceName}:1: header lacks column '{name}'; System V segments not listed.");
                return rows;
            }
        }
        for (int n = 1; n < lines.Length; n++)
        {
            var line = lines[n];
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                if (f.Length < header.Length) throw new FormatException($"{f.Length} fields, expected {header.Length}");
                rows.Add(new SysVSegmentRow(
                    Key: Int(f, col, "key"),
                    Id: Int(f, col, "shmid"),
                    Permissions: Convert.ToUInt32(f[col["perms"]], 8),
                    Size: Long(f, col, "size"),
                    CreatorPid: Int(f, col, "cpid"),
                    LastPid: Int(f, col, "lpid"),
                    AttachCount: Int(f, col, "nattch"),
                    Uid: UInt(f, col, "uid"),
                    Gid: UInt(f, col, "gid"),
                    CreatorUid: col.ContainsKey("cuid") ? UInt(f, col, "cuid") : UInt(f, col, "uid"),
                    CreatorGid: col.ContainsKey("cgid") ? UInt(f, col, "cgid") : UInt(f, col, "gid"),
                    AttachTime: Optional(f, col, "atime"),
                    DetachTime: Optional(f, col, "dtime"),
                    ChangeTime: Optional(f, col, "ctime"),
                    ResidentBytes: Optional(f, col, "rss"),
                    SwapBytes: Optional(f, col, "swap")));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                warnings.Add($"{sourceName}:{n + 1}: skipped a line that is not a System V segment row ({ex.Message}).");
            }
        }
        return rows;
    }

    private static int Int(string[] f, Dictionary<string, int> col, string name) =>
        int.Parse(f[col[name]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static uint UInt(string[] f, Dictionary<string, int> col, string name) =>
        uint.Parse(f[col[name]], NumberStyles.None, CultureInfo.InvariantCulture);

    private static long Long(string[] f, Dictionary<string, int> col, string name) =>
        long.Parse(f[col[name]], NumberStyles.None, CultureInfo.InvariantCulture);

    private static long Optional(string[] f, Dictionary<string, int> col, string name) =>
        col.ContainsKey(name) ? Long(f, col, name) : 0;
}
