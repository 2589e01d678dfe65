using ShmTools.Core.Processes;
namespace ShmTools.Core.Shm;

/// <summary>One process holding one segment.</summary>
public sealed record Attachment(
    int Pid,
    string ProcessName,
    string? User,
    AttachmentKind Via,
    long MappedBytes,
    ulong ProcessStartTicks)
{
    /// <summary>How it reads in a list of holders: "4242 python3 (Map, alice)".</summary>
    public override string ToString() => $"{Pid} {ProcessName} ({Via}{(User is { Length: > 0 } ? ", " + User : "")})";
}
