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
