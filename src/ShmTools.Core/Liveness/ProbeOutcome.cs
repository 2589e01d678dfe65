namespace ShmTools.Core.Liveness;

/// <summary>What opening a segment and probing it showed.</summary>
public sealed record ProbeOutcome
{
    /// <summary>Why the segment could not be probed (then nothing else here is known).</summary>
    public string? Error { get; init; }
    /// <summary>"ofd" or "flock" when a probe found a lock held; null when both were free.</summary>
    public string? LockHeldBy { get; init; }
    public bool HeaderPresent { get; init; }
    public int HeaderState { get; init; }
    public int OwnerPid { get; init; }
    public ulong OwnerStartTicks { get; init; }
    /// <summary>True when the owner swapped PROBING back to ALIVE within the timeout.</summary>
    public bool Answered { get; init; }
    public TimeSpan? AnswerTime { get; init; }
}
