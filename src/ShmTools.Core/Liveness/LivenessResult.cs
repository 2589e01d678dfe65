using ShmTools.Core.Shm;

namespace ShmTools.Core.Liveness;

/// <summary>The verdict on one segment, the rule that decided it, and every piece of evidence.</summary>
public sealed record LivenessResult
{
    public required ShmSegment Segment { get; init; }
    public string Name => Segment.Name;
    /// <summary>The name as people are shown it (see <see cref="ShmSegment.DisplayName"/>).</summary>
    public string DisplayName => Segment.DisplayName;
    public SegmentKind Kind => Segment.Kind;
    public string Path => Segment.Path;
    /// <summary>The path as people are shown it (see <see cref="ShmSegment.DisplayPath"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayPath => Segment.DisplayPath;
    public required Verdict Verdict { get; init; }
    /// <summary>The deciding rule, in words.</summary>
    public required string Reason { get; init; }
    public required IReadOnlyList<Evidence> Evidence { get; init; }
    public OwnerState OwnerState { get; init; }
    public int? OwnerPid { get; init; }
    /// <summary>Time since the segment was last used: a file's last read or write; a System V segment's last attach, detach or change.</summary>
    public TimeSpan? Idle { get; init; }
    public DateTimeOffset CheckedAt { get; init; } = DateTimeOffset.UtcNow;
}
