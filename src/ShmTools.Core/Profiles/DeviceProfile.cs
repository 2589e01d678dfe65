using ShmTools.Core.Text;

namespace ShmTools.Core.Profiles;

/// <summary>One accelerator or host as the planner sees it.</summary>
public sealed record DeviceProfile
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Vendor { get; init; }
    public DeviceKind Kind { get; init; } = DeviceKind.Other;
    public required long MemoryBytes { get; init; }
    /// <summary>Memory kept back from the planner's target memory; it compensates when the target is not enough.</summary>
    public long ReservedBytes { get; init; }
    public int ComputeUnits { get; init; } = 1;
    public int AlignmentBytes { get; init; } = 64;
    /// <summary>Operators it runs (wildcards); empty: every operator.</summary>
    public IReadOnlyList<string> SupportedOperators { get; init; } = [];
    public IReadOnlyList<string> UnsupportedOperators { get; init; } = [];
    /// <summary>"built-in" or file:line of the definition.</summary>
    public required string Source { get; init; }

    public long TargetBytes => MemoryBytes - ReservedBytes;

    public bool Supports(string op) =>
        !UnsupportedOperators.Any(p => new GlobPattern(p).IsMatch(op))
        && (SupportedOperators.Count == 0 || SupportedOperators.Any(p => new GlobPattern(p).IsMatch(op)));
}
