using ShmTools.Core.Processes;
namespace ShmTools.Core.Shm;

/// <summary>One process holding one segment.</summary>
public sealed record Attachment(
    int Pid,
    string ProcessName,
    string? User,
    AttachmentKind Via,
    long MappedBytes,
    ulong ProcessStartTicks);
