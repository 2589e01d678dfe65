namespace ShmTools.Core.Shm;

/// <summary>Where the inventory reads from. The defaults are the live system's.</summary>
public sealed record InventorySources
{
    public string ProcRoot { get; init; } = "/proc";
    public string ShmDirectory { get; init; } = "/dev/shm";
    public string SysVTable { get; init; } = "/proc/sysvipc/shm";

    public static InventorySources System { get; } = new();
}
