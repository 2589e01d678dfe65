using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>Stale-looking segments (torch_PID_TAG_N of an exited pid) and the usual cleanup calls.</summary>
internal static class DeadSegments
{
    public static readonly LivenessOptions Liveness = TestHost.Liveness(TimeSpan.FromMilliseconds(300));

    public static long Tag() => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    public static int DeadPid()
    {
        var p = HeldSegment.Start("idle");
        int pid = p.Pid;
        p.Dispose();
        return pid;
    }

    /// <summary>Creates torch_DEADPID_TAG_0 of <paramref name="size"/> written bytes; returns its name.</summary>
    public static string Create(long tag, int size = 8192, int? deadPid = null)
    {
        string name = $"torch_{deadPid ?? DeadPid()}_{tag}_0";
        File.WriteAllBytes("/dev/shm/" + name, Enumerable.Repeat((byte)7, size).ToArray());
        return name;
    }

    public static IReadOnlyList<ShmSegment> Scan(params string[] patterns) =>
        new ShmInventory().Scan(new ShmQuery { Names = patterns }).Segments;

    public static IReadOnlyList<LivenessResult> Judge(params string[] patterns) =>
        new LivenessChecker(Liveness).Check(Scan(patterns));

    /// <summary>
    /// The quarantine names in /dev/shm that park one of <paramref name="originals"/>. Other tests
    /// clean their own segments at the same time, so a test only asks after its own.
    /// </summary>
    public static IReadOnlyList<string> ParkedOf(IEnumerable<string> originals)
    {
        var mine = originals.ToHashSet(StringComparer.Ordinal);
        return Directory.GetFiles("/dev/shm", QuarantineNames.Prefix + "*")
            .Where(f => QuarantineNames.OriginalOf(Path.GetFileName(f)) is { } o && mine.Contains(o))
            .ToList();
    }

    public static IReadOnlyList<string> ParkedOf(params string[] originals) => ParkedOf((IEnumerable<string>)originals);

    public static CleanupOptions Options(string? log = null) => new() { LogPath = log, Liveness = Liveness };

    /// <summary>The inode at a path (no link followed), or 0 when nothing is there.</summary>
    public static ulong Inode(string path) =>
        ShmTools.Core.Native.Posix.Stat(path, followLinks: false, out var st) == 0 ? st.Inode : 0;
}
