using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>One cleanup decision: what, what was done, why, and the bytes it freed.</summary>
public sealed record RemovalRecord
{
    public required string Name { get; init; }
    /// <summary>The name as people are shown it (see <see cref="ShmSegment.DisplayName"/>).</summary>
    public string DisplayName { get => _displayName ?? Text.TerminalText.Name(Name); init => _displayName = value; }
    private readonly string? _displayName;
    public required SegmentKind Kind { get; init; }
    public required string Path { get; init; }
    /// <summary>The path as people are shown it (see <see cref="ShmSegment.DisplayPath"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayPath { get => _displayPath ?? Text.TerminalText.Name(Path); init => _displayPath = value; }
    private readonly string? _displayPath;
    public required CleanupAction Action { get; init; }
    public required Verdict Verdict { get; init; }
    public required string Reason { get; init; }
    public long BytesFreed { get; init; }
    public string? Error { get; init; }
    /// <summary>For <see cref="CleanupAction.Stranded"/>: the name the segment is kept under now.</summary>
    public string? QuarantineName { get; init; }
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
}
