using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>
/// Reads /proc/locks lines (<c>1: FLOCK  ADVISORY  WRITE 3270 00:1b:4 0 EOF</c>: id, kind, mode,
/// access, pid, hex major:minor:decimal inode, range). Lines for waiters (<c>1: -> FLOCK ...</c>)
/// and malformed lines are skipped.
/// </summary>
public static class ProcLocks
{
    /// <summary>Pids holding a lock of <paramref name="kind"/> (FLOCK, POSIX, OFDLCK) on the file (device, inode).</summary>
    public static IEnumerable<int> Holders(IEnumerable<string> lines, DeviceId device, ulong inode, string kind)
    {
        foreach (var line in lines)
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[1] == "->" || f[1] != kind) continue;
            var place = f[5].Split(':');
            if (place.Length != 3 || !ulong.TryParse(place[2], out var ino) || ino != inode) continue;
            if (!DeviceId.TryParse($"{place[0]}:{place[1]}", hex: true, out var dev) || dev != device) continue;
            if (int.TryParse(f[4], out int pid) && pid > 0) yield return pid;
        }
    }
}
