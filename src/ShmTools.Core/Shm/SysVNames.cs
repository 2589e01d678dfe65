using System.Globalization;

namespace ShmTools.Core.Shm;

/// <summary>
/// How a System V segment is named, in one place. A segment with a key is named by its key in
/// hex (<c>0x00001234</c>), which the kernel keeps unique; IPC_PRIVATE segments (key 0, and
/// removed segments still attached, whose key the kernel resets to 0) all share that key, so
/// their name adds the shmid: <c>0x00000000:65538</c>. Name filters also match a segment by its
/// key alone and by its shmid in decimal.
/// </summary>
public static class SysVNames
{
    public static string Of(int key, int shmid) =>
        key == 0 ? KeyText(0) + ":" + shmid.ToString(CultureInfo.InvariantCulture) : KeyText(key);

    /// <summary>A key as ipcs shows it: 0x and eight hex digits.</summary>
    public static string KeyText(int key) => "0x" + key.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The name the kernel gives its mappings in /proc/PID/maps.</summary>
    public static string MapsPath(int key) => "/SYSV" + key.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The texts a name pattern may match: the name, the key, the shmid.</summary>
    public static bool Matches(Func<string, bool> pattern, int key, int shmid) =>
        pattern(Of(key, shmid)) || pattern(KeyText(key)) || pattern(shmid.ToString(CultureInfo.InvariantCulture));
}
