namespace ShmTools.Core.Cleanup;

/// <summary>All decisions of one cleanup run.</summary>
public sealed record CleanupReport(bool DryRun, [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<RemovalRecord> Records)
{
    public IEnumerable<RemovalRecord> Removed => Records.Where(r => r.Action is CleanupAction.Removed or CleanupAction.WouldRemove);
    public IEnumerable<RemovalRecord> Kept => Records.Where(r => r.Action == CleanupAction.Kept);
    public IEnumerable<RemovalRecord> Failed => Records.Where(r => r.Action == CleanupAction.Failed);
    public long BytesFreed => Records.Where(r => r.Action is CleanupAction.Removed or CleanupAction.WouldRemove).Sum(r => r.BytesFreed);
}
