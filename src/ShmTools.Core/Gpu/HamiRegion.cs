namespace ShmTools.Core.Gpu;

/// <summary>One container's HAMi-core accounting region, as read.</summary>
public sealed record HamiRegion(
    string Path,
    int LayoutVersion,
    int MinorVersion,
    long OwnerPid,
    IReadOnlyList<string> DeviceUuids,
    IReadOnlyList<long> LimitBytes,
    IReadOnlyList<long> SmLimitPercent,
    IReadOnlyList<HamiSlot> Slots)
{
    /// <summary>Pod uid and container name from /usr/local/vgpu/containers/&lt;podUID&gt;_&lt;container&gt;/.</summary>
    public (string? PodUid, string? Container) Owner
    {
        get
        {
            var dir = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(Path) ?? "");
            int us = dir.IndexOf('_');
            return us == 36 ? (dir[..36], dir[37..]) : (null, null);
        }
    }
}

/// <summary>One process slot: container pid, host pid (0 = unknown), per-device usage, status.</summary>
public sealed record HamiSlot(int Pid, int HostPid, int Status, IReadOnlyList<HamiUsage> Usage);

/// <summary>Bytes a process holds on one device: CUDA context, modules, data, and their total.</summary>
public readonly record struct HamiUsage(int Device, long ContextBytes, long ModuleBytes, long DataBytes, long TotalBytes);
