using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>What a cleanup works on: segments it judges itself, results judged already, or a scan it makes itself.</summary>
public sealed class CleanupInput
{
    private CleanupInput(IReadOnlyList<ShmSegment>? segments, IReadOnlyList<LivenessResult>? judged, ShmQuery? query)
    {
        Segments = segments;
        Judged = judged;
        Query = query;
    }

    public IReadOnlyList<ShmSegment>? Segments { get; }
    public IReadOnlyList<LivenessResult>? Judged { get; }
    /// <summary>
    /// A scan the cleanup makes itself: without a person to ask, it is made in the same turn as
    /// the judging and the removal, so no other check or cleanup comes in between.
    /// </summary>
    public ShmQuery? Query { get; }

    public static CleanupInput Of(IReadOnlyList<ShmSegment> segments) => new(segments, null, null);
    public static CleanupInput Of(IReadOnlyList<LivenessResult> judged) => new(null, judged, null);
    public static CleanupInput Scan(ShmQuery query) => new(null, null, query);
}
