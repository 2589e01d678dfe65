using System.Text.Json;
using ShmTools.Core.Liveness;


namespace ShmTools.Cli;

/// <summary>
/// Writes `check --json` with a forward-only writer, reusing <see cref="SegmentJsonWriter"/> for
/// the embedded segment; a test keeps it equal to <see cref="CliJsonContext"/>'s output.
/// </summary>
public static class LivenessJsonWriter
{
    private static readonly JsonEncodedText Segment = JsonEncodedText.Encode("segment"), Name = JsonEncodedText.Encode("name"), DisplayName = JsonEncodedText.Encode("displayName"),
        Kind = JsonEncodedText.Encode("kind"), PathP = JsonEncodedText.Encode("path"), VerdictP = JsonEncodedText.Encode("verdict"),
        Reason = JsonEncodedText.Encode("reason"), EvidenceP = JsonEncodedText.Encode("evidence"), Finding = JsonEncodedText.Encode("finding"),
        OwnerStateP = JsonEncodedText.Encode("ownerState"), OwnerPid = JsonEncodedText.Encode("ownerPid"), Idle = JsonEncodedText.Encode("idle"),
        CheckedAt = JsonEncodedText.Encode("checkedAt");

    private static readonly JsonEncodedText[] Verdicts = JsonWords.Of<Verdict>();
    private static readonly JsonEncodedText[] OwnerStates = JsonWords.Of<OwnerState>();
    private static readonly JsonEncodedText[] EvidenceKinds = JsonWords.Of<EvidenceKind>();
    private static readonly JsonEncodedText[] SegmentKinds = JsonWords.Of<ShmTools.Core.Shm.SegmentKind>();

    public static void Write(Stream stream, IReadOnlyList<LivenessResult> results) =>
        JsonChunks.WriteArray(stream, results, static (w, r) =>
        {
            w.WriteStartObject();
            w.WritePropertyName(Segment);
            SegmentJsonWriter.Write(w, r.Segment);
            w.WriteString(Name, r.Name);
            w.WriteString(DisplayName, r.DisplayName);
            w.WriteString(Kind, SegmentKinds[(int)r.Kind]);
            w.WriteString(PathP, r.Path);
            w.WriteString(VerdictP, Verdicts[(int)r.Verdict]);
            w.WriteString(Reason, r.Reason);
            w.WriteStartArray(EvidenceP);
            foreach (var e in r.Evidence)
            {
                w.WriteStartObject();
                w.WriteString(Kind, EvidenceKinds[(int)e.Kind]);
                w.WriteString(Finding, e.Finding);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString(OwnerStateP, OwnerStates[(int)r.OwnerState]);
            if (r.OwnerPid is { } pid) w.WriteNumber(OwnerPid, pid); else w.WriteNull(OwnerPid);
            if (r.Idle is { } idle) w.WriteString(Idle, idle.ToString("c")); else w.WriteNull(Idle);
            w.WriteString(CheckedAt, r.CheckedAt);
            w.WriteEndObject();
        });
}
