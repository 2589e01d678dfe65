using System.Buffers;
using System.Text.Json;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>
/// Writes segments as the contract's JSON, token by token as bytes (<see cref="JsonBytes"/>).
/// `list` on a big host emits tens of thousands of segments: the metadata-driven serializer
/// spent more time on that than the whole /proc scan, and a general forward-only writer still
/// about 2 us per segment. Tests keep this output equal to <see cref="CliJsonContext"/>'s for the
/// same objects, hostile text and timestamps included.
/// </summary>
public static class SegmentJsonWriter
{
    private static readonly byte[] Name = JsonBytes.Name("name", first: true), DisplayName = JsonBytes.Name("displayName"), Kind = JsonBytes.Name("kind"),
        PathP = JsonBytes.Name("path"), Device = JsonBytes.Name("device"), Inode = JsonBytes.Name("inode"),
        SizeBytes = JsonBytes.Name("sizeBytes"), ResidentBytes = JsonBytes.Name("residentBytes"),
        Owner = JsonBytes.Name("owner"), OwnerUid = JsonBytes.Name("ownerUid"), Mode = JsonBytes.Name("mode"),
        Modified = JsonBytes.Name("modified"), Accessed = JsonBytes.Name("accessed"), Changed = JsonBytes.Name("changed"), Created = JsonBytes.Name("created"),
        Producer = JsonBytes.Name("producer"), OwnerPidHint = JsonBytes.Name("ownerPidHint"), Creator = JsonBytes.Name("creator"),
        Namespace = JsonBytes.Name("namespace"), SysVKey = JsonBytes.Name("sysVKey"), SysVId = JsonBytes.Name("sysVId"),
        CreatorPid = JsonBytes.Name("creatorPid"), LastPid = JsonBytes.Name("lastPid"), AttachCount = JsonBytes.Name("attachCount"),
        Attachments = JsonBytes.Name("attachments"), AttachmentsComplete = JsonBytes.Name("attachmentsComplete"),
        HolderCount = JsonBytes.Name("holderCount"), Pid = JsonBytes.Name("pid", first: true), ProcessName = JsonBytes.Name("processName"),
        User = JsonBytes.Name("user"), Via = JsonBytes.Name("via"), MappedBytes = JsonBytes.Name("mappedBytes"),
        ProcessStartTicks = JsonBytes.Name("processStartTicks");

    private static readonly JsonEncodedText[] KindNames = JsonWords.Of<SegmentKind>();
    private static readonly JsonEncodedText[] ViaNames = JsonWords.Of<AttachmentKind>();

    /// <summary>Writes the array; large lists are encoded in chunks on several threads.</summary>
    public static void Write(Stream stream, IReadOnlyList<ShmSegment> segments) =>
        JsonChunks.WriteRawBatches(stream, JsonChunks.BatchesOf(segments), b => JsonChunks.Batch(segments, b), Write);

    /// <summary>A streamed scan's segments as one array, each batch made by the encoder that writes it.</summary>
    public static void Write(Stream stream, InventoryScan scan) => JsonChunks.WriteRawBatches(stream, scan.BatchCount, scan.Batch, Write);

    public static void Write(ArrayBufferWriter<byte> o, ShmSegment s)
    {
        JsonBytes.Raw(o, "{"u8);
        JsonBytes.String(o, Name, s.Name);
        JsonBytes.String(o, DisplayName, s.DisplayName);
        JsonBytes.String(o, Kind, KindNames[(int)s.Kind]);
        JsonBytes.String(o, PathP, s.Path);
        JsonBytes.String(o, Device, s.Device);
        JsonBytes.Number(o, Inode, s.Inode);
        JsonBytes.Number(o, SizeBytes, s.SizeBytes);
        JsonBytes.Number(o, ResidentBytes, s.ResidentBytes);
        JsonBytes.String(o, Owner, s.Owner);
        JsonBytes.Number(o, OwnerUid, s.OwnerUid);
        JsonBytes.String(o, Mode, s.Mode);
        JsonBytes.Time(o, Modified, s.Modified);
        JsonBytes.Time(o, Accessed, s.Accessed);
        JsonBytes.Time(o, Created, s.Created);
        JsonBytes.Time(o, Changed, s.Changed);
        JsonBytes.String(o, Producer, s.Producer);
        JsonBytes.Number(o, OwnerPidHint, s.OwnerPidHint);
        JsonBytes.String(o, Creator, s.Creator);
        JsonBytes.String(o, Namespace, s.Namespace);
        JsonBytes.Number(o, SysVKey, s.SysVKey);
        JsonBytes.Number(o, SysVId, s.SysVId);
        JsonBytes.Number(o, CreatorPid, s.CreatorPid);
        JsonBytes.Number(o, LastPid, s.LastPid);
        JsonBytes.Number(o, AttachCount, s.AttachCount);
        JsonBytes.Objects(o, Attachments, s.Attachments, static (o, a) =>
        {
            JsonBytes.Number(o, Pid, a.Pid);
            JsonBytes.String(o, ProcessName, a.ProcessName);
            JsonBytes.String(o, User, a.User);
            JsonBytes.String(o, Via, ViaNames[(int)a.Via]);
            JsonBytes.Number(o, MappedBytes, a.MappedBytes);
            JsonBytes.Number(o, ProcessStartTicks, a.ProcessStartTicks);
        });
        JsonBytes.Boolean(o, AttachmentsComplete, s.AttachmentsComplete);
        JsonBytes.Number(o, HolderCount, s.HolderCount);
        JsonBytes.Raw(o, "}"u8);
    }
}
