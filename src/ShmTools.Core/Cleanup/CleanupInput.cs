using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>What a cleanup works on: segments it judges itself, or results judged already.</summary>
public sealed class CleanupInput
{
    private CleanupInput(IReadOnlyList<ShmSegment>? segments, IReadOnlyList<LivenessResult>? judged)
    {
        Segments = segments;
        Judged = judged;
    }

    public IReadOnlyList<ShmSegment>? Segments { get; }
    public IReadOnlyList<LivenessResult>? Judged { get; }

    public static CleanupInput Of(IReadOnlyList<ShmSegment> segments) => new(segments, null);
    public static CleanupInput Of(IReadOnlyList<LivenessResult> judged) => new(null, judged);
}
