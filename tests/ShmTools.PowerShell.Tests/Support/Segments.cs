using System.Diagnostics;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>
/// Segments in /dev/shm for scenarios. The tests run inside tests/run's private namespaces with a
/// tmpfs of their own on /dev/shm, so nothing here touches the host's shared memory.
/// </summary>
public static class Segments
{
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A pid that just exited (a real process that ran and is gone).</summary>
    public static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>A PyTorch-style segment whose owner (named in the name) is dead: judged Stale.</summary>
    public static string Dead(int size = 8192)
    {
        string name = $"torch_{DeadPid()}_{Random.Shared.Next(100000, 999999)}_0";
        File.WriteAllBytes(Path.Combine("/dev/shm", name), new byte[size]);
        return name;
    }

    public static string PathOf(string name) => Path.Combine("/dev/shm", name);

    public static void Remove(params string[] names)
    {
        foreach (var n in names) File.Delete(PathOf(n));
    }
}
