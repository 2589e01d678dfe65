using ShmTools.Core.Processes;
using System.Text.Json;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>
/// Writes segments as the contract's JSON with a forward-only Utf8JsonWriter. `list` on a big
/// host emits tens of thousands of segments, and the metadata-driven serializer spends more
/// time on that than the whole /proc scan; a test keeps this output equal to
/// <see cref="CliJsonContext"/>'s for the same objects.
/// </summary>
public static class SegmentJsonWriter
{
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name"), DisplayName = JsonEncodedText.Encode("displayName"), Kind = JsonEncodedText.Encode("kind"),
        PathP = JsonEncodedText.Encode("path"), Device = JsonEncodedText.Encode("device"), Inode = JsonEncodedText.Encode("inode"),
        SizeBytes = JsonEncodedText.Encode("sizeBytes"), ResidentBytes = JsonEncodedText.Encode("residentBytes"),
        Owner = JsonEncodedText.Encode("owner"), OwnerUid = JsonEncodedText.Encode("ownerUid"), Mode = JsonEncodedText.Encode("mode"),
        Modified = JsonEncodedText.Encode("modified"), Accessed = JsonEncodedText.Encode("accessed"), Changed = JsonEncodedText.Encode("changed"), Created = JsonEncodedText.Encode("created"),
        Producer = JsonEncodedText.Encode("producer"), OwnerPidHint = JsonEncodedText.Encode("ownerPidHint"), Creator = JsonEncodedText.Encode("creator"),
        Namespace = JsonEncodedText.Encode("namespace"), SysVKey = JsonEncodedText.Encode("sysVKey"), SysVId = JsonEncodedText.Encode("sysVId"),
        CreatorPid = JsonEncodedText.Encode("creatorPid"), LastPid = JsonEncodedText.Encode("lastPid"), AttachCount = JsonEncodedText.Encode("attachCount"),
        Attachments = JsonEncodedText.Encode("attachments"), AttachmentsComplete = JsonEncodedText.Encode("attachmentsComplete"),
        HolderCount = JsonEncodedText.Encode("holderCount"), Pid = JsonEncodedText.Encode("pid"), ProcessName = JsonEncodedText.Encode("processName"),
        User = JsonEncodedText.Encode("user"), Via = JsonEncodedText.Encode("via"), MappedBytes = JsonEncodedText.Encode("mappedBytes"),
        ProcessStartTicks = JsonEncodedText.Encode("processStartTicks");

    private static readonly JsonEncodedText[] KindNames = JsonWords.Of<SegmentKind>();
    private static readonly JsonEncodedText[] ViaNames = JsonWords.Of<AttachmentKind>();

    /// <summary>Writes the array; large lists are encoded in chunks on several threads.</summary>
    public static void Write(Stream stream, IReadOnlyList<ShmSegment> segments) => JsonChunks.WriteArray(stream, segments, Write);

    public static void Write(Utf8JsonWriter w, ShmSegment s)
    {
        w.WriteStartObject();
        w.WriteString(Name, s.Name);
        w.WriteString(DisplayName, s.DisplayName);
        w.WriteString(Kind, KindNames[(int)s.Kind]);
        w.WriteString(PathP, s.Path);
        String(w, Device, s.Device);
        w.WriteNumber(Inode, s.Inode);
        w.WriteNumber(SizeBytes, s.SizeBytes);
        w.WriteNumber(ResidentBytes, s.ResidentBytes);
        String(w, Owner, s.Owner);
        Number(w, OwnerUid, s.OwnerUid);
        String(w, Mode, s.Mode);
        Time(w, Modified, s.Modified);
        Time(w, Accessed, s.Accessed);
        Time(w, Created, s.Created);
        Time(w, Changed, s.Changed);
        String(w, Producer, s.Producer);
        Number(w, OwnerPidHint, s.OwnerPidHint);
        String(w, Creator, s.Creator);
        String(w, Namespace, s.Namespace);
        Number(w, SysVKey, s.SysVKey);
        Number(w, SysVId, s.SysVId);
        Number(w, CreatorPid, s.CreatorPid);
        Number(w, LastPid, s.LastPid);
        Number(w, AttachCount, s.AttachCount);
        w.WriteStartArray(Attachments);
        foreach (var a in s.Attachments)
        {
            w.WriteStartObject();
            w.WriteNumber(Pid, a.Pid);
            w.WriteString(ProcessName, a.ProcessName);
            String(w, User, a.User);
            w.WriteString(Via, ViaNames[(int)a.Via]);
            w.WriteNumber(MappedBytes, a.MappedBytes);
            w.WriteNumber(ProcessStartTicks, a.ProcessStartTicks);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean(AttachmentsComplete, s.AttachmentsComplete);
        w.WriteNumber(HolderCount, s.HolderCount);
        w.WriteEndObject();
    }

    private static void String(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value == null) w.WriteNull(name); else w.WriteString(name, value);
    }

    private static void Number(Utf8JsonWriter w, JsonEncodedText name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void Time(Utf8JsonWriter w, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } v) w.WriteString(name, v); else w.WriteNull(name);
    }
}
