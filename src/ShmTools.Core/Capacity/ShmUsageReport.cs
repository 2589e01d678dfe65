using System.Text.Json.Serialization;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Capacity;

/// <summary>The outcome of one capacity scan: each shared-memory filesystem, and System V.</summary>
public sealed record ShmUsageReport
{
    public required IReadOnlyList<ShmMountUsage> Mounts { get; init; }
    public required SysVUsage SysV { get; init; }
    /// <summary>True when the scan did not see every process (some could not be read, or /proc hides some): holders (and so verdicts) may be incomplete.</summary>
    public required bool Partial { get; init; }
    /// <summary>Why the scan is partial, one reason each (empty when it is not).</summary>
    public IReadOnlyList<string> VisibilityLimits { get; init; } = [];
    /// <summary>Everything the scan and the judging had to say (the inventory's warnings first: its turn, visibility, ignored entries), in the order they came.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The inventory the figures were made from.</summary>
    [JsonIgnore]
    public InventoryResult Inventory { get; init; } = null!;

    /// <summary>The verdict on every segment, in inventory order.</summary>
    [JsonIgnore]
    public IReadOnlyList<LivenessResult> Verdicts { get; init; } = [];
}
