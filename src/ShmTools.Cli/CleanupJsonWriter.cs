using System.Buffers;
using System.Text.Json;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>
/// Writes `clean --json` token by token as bytes (<see cref="JsonBytes"/>), each list of records
/// as <see cref="JsonChunks"/> writes a long array; a test keeps it equal to
/// <see cref="CliJsonContext"/>'s output for the same report.
/// </summary>
public static class CleanupJsonWriter
{
    private static readonly byte[] DryRun = JsonBytes.Name("dryRun", first: true), Removed = JsonBytes.Name("removed"), Kept = JsonBytes.Name("kept"),
        Failed = JsonBytes.Name("failed"), Stranded = JsonBytes.Name("stranded"), BytesFreedTotal = JsonBytes.Name("bytesFreed"), Summary = JsonBytes.Name("summary"),
        Name = JsonBytes.Name("name", first: true), DisplayName = JsonBytes.Name("displayName"), Kind = JsonBytes.Name("kind"), PathP = JsonBytes.Name("path"),
        ActionP = JsonBytes.Name("action"), VerdictP = JsonBytes.Name("verdict"), Reason = JsonBytes.Name("reason"), BytesFreed = JsonBytes.Name("bytesFreed"),
        Error = JsonBytes.Name("error"), QuarantineName = JsonBytes.Name("quarantineName"), Time = JsonBytes.Name("time");

    private static readonly JsonEncodedText[] Kinds = JsonWords.Of<SegmentKind>();
    private static readonly JsonEncodedText[] Actions = JsonWords.Of<CleanupAction>();
    private static readonly JsonEncodedText[] Verdicts = JsonWords.Of<Verdict>();

    public static void Write(Stream stream, CleanupReport report)
    {
        var head = new ArrayBufferWriter<byte>(64);
        JsonBytes.Raw(head, "{"u8);
        JsonBytes.Boolean(head, DryRun, report.DryRun);
        stream.Write(head.WrittenSpan);
        Records(stream, Removed, report.Removed.ToList());
        Records(stream, Kept, report.Kept.ToList());
        Records(stream, Failed, report.Failed.ToList());
        Records(stream, Stranded, report.Stranded.ToList());
        var tail = new ArrayBufferWriter<byte>(256);
        JsonBytes.Number(tail, BytesFreedTotal, report.BytesFreed);
        JsonBytes.String(tail, Summary, report.Summary);
        JsonBytes.Raw(tail, "}"u8);
        stream.Write(tail.WrittenSpan);
    }

    private static void Records(Stream stream, byte[] name, List<RemovalRecord> records)
    {
        stream.Write(name);
        JsonChunks.WriteRawBatches(stream, JsonChunks.BatchesOf(records), b => JsonChunks.Batch(records, b), Write);
    }

    public static void Write(ArrayBufferWriter<byte> o, RemovalRecord r)
    {
        JsonBytes.Raw(o, "{"u8);
        JsonBytes.String(o, Name, r.Name);
        JsonBytes.String(o, DisplayName, r.DisplayName);
        JsonBytes.String(o, Kind, Kinds[(int)r.Kind]);
        JsonBytes.String(o, PathP, r.Path);
        JsonBytes.String(o, ActionP, Actions[(int)r.Action]);
        JsonBytes.String(o, VerdictP, Verdicts[(int)r.Verdict]);
        JsonBytes.String(o, Reason, r.Reason);
        JsonBytes.Number(o, BytesFreed, r.BytesFreed);
        JsonBytes.String(o, Error, r.Error);
        JsonBytes.String(o, QuarantineName, r.QuarantineName);
        JsonBytes.Time(o, Time, r.Time);
        JsonBytes.Raw(o, "}"u8);
    }
}
