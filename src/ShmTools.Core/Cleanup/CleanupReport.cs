using ShmTools.Core.Text;

namespace ShmTools.Core.Cleanup;

/// <summary>All decisions of one cleanup run, and their summary in words.</summary>
public sealed record CleanupReport(bool DryRun, [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<RemovalRecord> Records)
{
    public IEnumerable<RemovalRecord> Removed => Records.Where(r => r.Action is CleanupAction.Removed or CleanupAction.WouldRemove);
    public IEnumerable<RemovalRecord> Kept => Records.Where(r => r.Action == CleanupAction.Kept);
    public IEnumerable<RemovalRecord> Failed => Records.Where(r => r.Action == CleanupAction.Failed);
    /// <summary>Held segments that could not be put back under their name (see <see cref="CleanupAction.Stranded"/>).</summary>
    public IEnumerable<RemovalRecord> Stranded => Records.Where(r => r.Action == CleanupAction.Stranded);
    public long BytesFreed => Removed.Sum(r => r.BytesFreed);

    /// <summary>One line: counts and bytes, and whether anything was really removed.</summary>
    public string Summary
    {
        get
        {
            int stranded = Stranded.Count();
            return $"{Removed.Count()} {(DryRun ? "to remove" : "removed")}, {Kept.Count()} kept, {Failed.Count()} failed"
                + (stranded > 0 ? $", {stranded} stranded under a quarantine name" : "")
                + $"; {(DryRun ? "would free" : "freed")} {ByteSize.Format(BytesFreed)}"
                + (DryRun ? ". Preview: nothing was removed." : ".");
        }
    }
}
