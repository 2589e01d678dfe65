using System.Diagnostics.Tracing;

namespace ShmTools.Bench;

/// <summary>Counts large-object-heap allocations by type name (the runtime's allocation ticks, one per 100 KB or per large object).</summary>
internal sealed class LohListener : EventListener
{
    public readonly Dictionary<string, int> Large = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload == null) return;
        int kindAt = e.PayloadNames!.IndexOf("AllocationKind"), typeAt = e.PayloadNames.IndexOf("TypeName");
        if (kindAt < 0 || Convert.ToInt32(e.Payload[kindAt]) != 1) return;
        string type = e.Payload[typeAt]?.ToString() ?? "?";
        lock (Large) Large[type] = Large.GetValueOrDefault(type) + 1;
    }
}
