namespace ShmTools.Tests.Support;

/// <summary>
/// The kernel's System V table read directly (not through the engine), column by column, so a
/// test compares whole fields: a shmid of 1 is not "contained" in a row that has a size of 4096.
/// </summary>
public static class KernelSysVTable
{
    /// <summary>Every row as column name -> text.</summary>
    public static List<Dictionary<string, string>> Rows()
    {
        var lines = File.ReadAllLines("/proc/sysvipc/shm");
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < header.Length) continue;
            rows.Add(header.Select((h, i) => (h, f[i])).ToDictionary(x => x.h, x => x.Item2));
        }
        return rows;
    }

    public static IReadOnlyList<int> Shmids() => Rows().Select(r => int.Parse(r["shmid"])).ToList();

    /// <summary>The row of one shmid, or null when the kernel no longer has it.</summary>
    public static Dictionary<string, string>? Row(int shmid) => Rows().FirstOrDefault(r => int.Parse(r["shmid"]) == shmid);
}
