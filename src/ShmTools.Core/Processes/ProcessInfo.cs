namespace ShmTools.Core.Processes;

/// <summary>
/// One process as /proc shows it. Identity is (Pid, StartTicks): a pid alone can be reused.
/// </summary>
public sealed record ProcessInfo(
    int Pid,
    string Name,
    char State,
    ulong StartTicks,
    DateTimeOffset StartTime,
    uint? Uid,
    string? User)
{
    /// <summary>Zombies and dead tasks count as gone.</summary>
    public bool IsAlive => State is not ('Z' or 'X' or 'x');
}
