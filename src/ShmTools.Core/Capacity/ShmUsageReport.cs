using System.Text.Json.Serialization;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Capacity;

/// <summary>The outcome of one capacity scan: each shared-memory filesystem, and System V.</summary>
public sealed record ShmUsageReport
{
    public required IReadOnlyList<ShmMountUsage> Mounts { get; init; }
    public required SysVUsage SysV { get; init; }
    /// <summary>True when some processes could not be read: holders (and so verdicts) may be incomplete.</summary>
    public required bool Partial { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The inventory the figures were made from.</summary>
    [JsonIgnore]
    public InventoryResult Inventory { get; init; } = null!;

    /// <summary>The verdict on every segment, in inventory order.</summary>
    [JsonIgnore]
    public IReadOnlyList<LivenessResult> Verdicts { get; init; } = [];
}
