using ShmTools.Core.Liveness;

namespace ShmTools.Core.Capacity;

/// <summary>What a capacity scan looks at.</summary>
public sealed record UsageQuery
{
    /// <summary>Also every other mount namespace's /dev/shm, through /proc/PID/root.</summary>
    public bool AllNamespaces { get; init; }
    /// <summary>How many producers and holders each mount lists.</summary>
    public int Top { get; init; } = 5;
    public LivenessOptions Liveness { get; init; } = LivenessOptions.Default;
    public Shm.InventorySources Sources { get; init; } = Shm.InventorySources.System;
    /// <summary>Where the SysV limits are read (kernel.shmmax, shmall, shmmni).</summary>
    public string KernelSysctlDirectory { get; init; } = "/proc/sys/kernel";
    /// <summary>
    /// Told what a person should know as it happens: waiting for another check's or cleanup's
    /// turn at /dev/shm, going on without it. The words are among the report's warnings as well
    /// (<see cref="Shm.ShmQuery.Notify"/>).
    /// </summary>
    public Action<string>? Notify { get; init; }
}
