namespace ShmTools.Core.Native;

/// <summary>What <c>shmctl(IPC_STAT)</c> says about one System V segment (times in Unix seconds).</summary>
public readonly record struct SysVStatus(
    int Key,
    uint Uid,
    uint Gid,
    uint Mode,
    long SizeBytes,
    long AttachTime,
    long DetachTime,
    long ChangeTime,
    int CreatorPid,
    int LastPid,
    long AttachCount)
{
    /// <summary>IPC_RMID was called: the segment goes when its last attacher detaches.</summary>
    public bool MarkedForRemoval => (Mode & LibC.SHM_DEST) != 0;
}
