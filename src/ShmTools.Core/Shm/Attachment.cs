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
    /// <summary>The process name as people are shown it: any process can name itself, control characters included.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayProcessName => Text.TerminalText.Safe(ProcessName);
}
