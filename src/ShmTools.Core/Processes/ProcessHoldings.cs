namespace ShmTools.Core.Processes;

/// <summary>
/// Everything one /proc pass found: who maps or holds an fd to which file (by device and inode),
/// who has which SysV segment attached (by shmid), and which processes could not be read.
/// </summary>
public sealed class ProcessHoldings
{
    internal ProcessHoldings(
        HoldingMap files,
        Dictionary<long, List<Holding>> sysV,
        List<ProcessAccessProblem> problems,
        int processCount)
    {
        Files = files;
        SysV = sysV;
        Problems = problems;
        ProcessCount = processCount;
    }

    public HoldingMap Files { get; }
    public IReadOnlyDictionary<long, List<Holding>> SysV { get; }
    public IReadOnlyList<ProcessAccessProblem> Problems { get; }
    public int ProcessCount { get; }

    /// <summary>True when some process could not be read: its holdings are unknown.</summary>
    public bool Partial => Problems.Count > 0;

    public IReadOnlyList<Holding> HoldersOf(FileKey key) =>
        Files.TryGetValue(key, out var list) ? list : Array.Empty<Holding>();

    public IReadOnlyList<Holding> HoldersOfSysV(long shmid) =>
        SysV.TryGetValue(shmid, out var list) ? list : Array.Empty<Holding>();
}
