namespace ShmTools.Core.Liveness;

/// <summary>What became of a recorded owner process.</summary>
public enum OwnerState
{
    /// <summary>No owner pid is known.</summary>
    Unknown,
    /// <summary>The same process (pid and start time) is alive.</summary>
    Alive,
    /// <summary>No such process, or a zombie.</summary>
    Dead,
    /// <summary>The pid now belongs to a process that started later: the owner is gone.</summary>
    Reused,
}
