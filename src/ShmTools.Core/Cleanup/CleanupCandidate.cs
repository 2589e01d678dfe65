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

    /// <summary>
    /// A segment an interrupted cleanup left parked under a quarantine name, to be put back under
    /// <paramref name="original"/> (only ever renamed back, never removed, by this step).
    /// </summary>
    internal static CleanupCandidate PutBack(LivenessResult result, string original) => new(result)
    {
        Target = $"{result.Segment.DisplayPath} ({result.Segment.Kind}, {ByteSize.Format(result.Segment.SizeBytes)})",
        Action = $"Put back shared memory an interrupted cleanup left parked, under its name {TerminalText.Name(original)}",
        IsPutBack = true,
    };

    /// <summary>True for a put-back of a parked segment rather than a removal.</summary>
    public bool IsPutBack { get; private init; }

    public LivenessResult Result { get; }
    public string Target { get; private init; }
    public string Action { get; private init; }
    /// <summary>The sentence for a preview or a log: what would be done to which target.</summary>
    public string Description => $"{Action} on target \"{Target}\".";
    /// <summary>The question to ask before doing it.</summary>
    public string Question => IsPutBack ? $"{Action}\nPut back \"{Target}\"?" : $"{Action}\nRemove \"{Target}\"?";
}
