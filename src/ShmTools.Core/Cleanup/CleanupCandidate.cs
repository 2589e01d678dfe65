using ShmTools.Core.Liveness;
using ShmTools.Core.Text;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// A segment policy allows to remove, worded for the one who approves it: <see cref="Target"/>
/// (path, kind and size), <see cref="Action"/> (what would be done, and why) and a caption.
/// </summary>
public sealed record CleanupCandidate
{
    public const string Caption = "Remove shared memory";

    internal CleanupCandidate(LivenessResult result)
    {
        Result = result;
        var s = result.Segment;
        Target = $"{s.DisplayPath} ({s.Kind}, {ByteSize.Format(s.SizeBytes)})";
        Action = $"Remove {result.Verdict.ToString().ToLowerInvariant()} shared memory: {result.Reason}";
    }

    public LivenessResult Result { get; }
    public string Target { get; }
    public string Action { get; }
    /// <summary>The sentence for a preview or a log: what would be done to which target.</summary>
    public string Description => $"{Action} on target \"{Target}\".";
    /// <summary>The question to ask before doing it.</summary>
    public string Question => $"{Action}\nRemove \"{Target}\"?";
}
