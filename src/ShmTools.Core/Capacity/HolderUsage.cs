namespace ShmTools.Core.Capacity;

/// <summary>
/// One process holding segments on a shared-memory filesystem: how many and how much of them it
/// maps or holds open, and the container and pod it runs in (from its cgroup).
/// </summary>
public sealed record HolderUsage(int Pid, string ProcessName, string? User, int Segments, long Bytes, string? ContainerId, string? PodUid);
