using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ShmTools.Core.Liveness;

namespace ShmTools.Cli;

/// <summary>
/// Writes `check --json` token by token as bytes (<see cref="JsonBytes"/>), the embedded segment
/// by <see cref="SegmentJsonWriter"/>; a test keeps it equal to <see cref="CliJsonContext"/>'s output.
/// </summary>
public static class LivenessJsonWriter
{
    private static readonly byte[] Segment = JsonBytes.Name("segment", first: true), Name = JsonBytes.Name("name"), DisplayName = JsonBytes.Name("displayName"),
        Kind = JsonBytes.Name("kind"), PathP = JsonBytes.Name("path"), VerdictP = JsonBytes.Name("verdict"),
        Reason = JsonBytes.Name("reason"), EvidenceP = JsonBytes.Name("evidence"), EvidenceKind = JsonBytes.Name("kind", first: true),
        Finding = JsonBytes.Name("finding"), OwnerStateP = JsonBytes.Name("ownerState"), OwnerPid = JsonBytes.Name("ownerPid"),
        Idle = JsonBytes.Name("idle"), CheckedAt = JsonBytes.Name("checkedAt");

    private static readonly JsonEncodedText[] Verdicts = JsonWords.Of<Verdict>();
    private static readonly JsonEncodedText[] OwnerStates = JsonWords.Of<OwnerState>();
    private static readonly JsonEncodedText[] EvidenceKinds = JsonWords.Of<EvidenceKind>();
    private static readonly JsonEncodedText[] SegmentKinds = JsonWords.Of<ShmTools.Core.Shm.SegmentKind>();

    public static void Write(Stream stream, IReadOnlyList<LivenessResult> results) =>
        JsonChunks.WriteRawBatches(stream, JsonChunks.BatchesOf(results), b => JsonChunks.Batch(results, b), Write);

    public static void Write(ArrayBufferWriter<byte> o, LivenessResult r)
    {
        JsonBytes.Raw(o, "{"u8);
        JsonBytes.Raw(o, Segment);
        SegmentJsonWriter.Write(o, r.Segment);
        JsonBytes.String(o, Name, r.Name);
        JsonBytes.String(o, DisplayName, r.DisplayName);
        JsonBytes.String(o, Kind, SegmentKinds[(int)r.Kind]);
        JsonBytes.String(o, PathP, r.Path);
        JsonBytes.String(o, VerdictP, Verdicts[(int)r.Verdict]);
        JsonBytes.String(o, Reason, r.Reason);
        JsonBytes.Objects(o, EvidenceP, r.Evidence, static (o, e) =>
        {
            JsonBytes.String(o, EvidenceKind, EvidenceKinds[(int)e.Kind]);
            JsonBytes.String(o, Finding, e.Finding);
        });
        JsonBytes.String(o, OwnerStateP, OwnerStates[(int)r.OwnerState]);
        JsonBytes.Number(o, OwnerPid, r.OwnerPid);
        JsonBytes.String(o, Idle, r.Idle?.ToString("c", CultureInfo.InvariantCulture));
        JsonBytes.Time(o, CheckedAt, r.CheckedAt);
        JsonBytes.Raw(o, "}"u8);
    }
}
