using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Tests.Support;

/// <summary>Facts about the machine the tests run on.</summary>
public static class TestHost
{
    private static readonly Lazy<IReadOnlyList<int>> Unreadable = new(() =>
        new ShmInventory().Scan(new ShmQuery { Kinds = [SegmentKind.SysV] }).ProcessProblems.Select(p => p.Pid).Distinct().ToList());

    /// <summary>
    /// Processes this host cannot read even as root (e.g. a sandbox's own init). They exist
    /// before any test starts and hold none of the tests' segments; the tests say so explicitly.
    /// </summary>
    public static IReadOnlyList<int> ForeignUnreadableProcesses => Unreadable.Value;

    /// <summary>
    /// True when the tests run in a pid namespace of their own with a /proc of it (tests/run makes
    /// both): /proc then shows no process outside it, and every scan says so. Read here from the
    /// namespace link (against the kernel's fixed inode of the initial pid namespace) and from the
    /// NSpid line, which has one field when /proc belongs to the process's own namespace.
    /// </summary>
    public static bool InOwnPidNamespace =>
        new FileInfo("/proc/self/ns/pid").LinkTarget is { } ns && ns != "pid:[4026531836]"
        && File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("NSpid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries).Length == 2;

    public static LivenessOptions Liveness(TimeSpan? probeTimeout = null, TimeSpan? orphanAge = null) => new()
    {
        ProbeTimeout = probeTimeout ?? TimeSpan.FromMilliseconds(400),
        OrphanAge = orphanAge ?? TimeSpan.FromHours(1),
        IgnoreInvisible = ForeignUnreadableProcesses,
    };

    public static ShmSegment Segment(string name)
    {
        var r = new ShmInventory().Scan(new ShmQuery { ExactNames = new HashSet<string> { name } });
        return Assert.Single(r.Segments);
    }

    public static LivenessResult Check(string name, LivenessOptions? options = null) =>
        new LivenessChecker(options ?? Liveness()).Check([Segment(name)])[0];

    /// <summary>Deletes test files that outlive their holders on purpose.</summary>
    public static void Remove(params string[] names)
    {
        foreach (var n in names)
        {
            try { File.Delete("/dev/shm/" + n); } catch (IOException) { }
        }
    }
}
