using System.Diagnostics.Tracing;

namespace ShmTools.Bench;

/// <summary>
/// Counts the runtime's allocation ticks by type name: one per large object (<see cref="Large"/>),
/// and for the small-object heap one per about 100 KB allocated, charged to the type whose
/// allocation crossed the mark (<see cref="Small"/>, a sample of where the bytes go).
/// </summary>
internal sealed class LohListener : EventListener
{
    public readonly Dictionary<string, int> Large = new();
    public readonly Dictionary<string, int> Small = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload == null) return;
        int kindAt = e.PayloadNames!.IndexOf("AllocationKind"), typeAt = e.PayloadNames.IndexOf("TypeName");
        if (kindAt < 0) return;
        string type = e.Payload[typeAt]?.ToString() ?? "?";
        var into = Convert.ToInt32(e.Payload[kindAt]) == 1 ? Large : Small;
        lock (into) into[type] = into.GetValueOrDefault(type) + 1;
    }
}
