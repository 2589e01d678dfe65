namespace ShmTools.Core.Text;

/// <summary>
/// The warnings of a scan that repeats (an exporter's, once per scrape interval) against the last
/// scan's: a log then says a warning when it begins and when it is over, not at every scan.
/// A warning whose words change (a count in it) ends and begins anew.
/// </summary>
public sealed class WarningChanges
{
    private readonly object _gate = new();
    private List<string> _last = new(); // the last scan's warnings, each once, in its order

    /// <summary>
    /// This scan's warnings: those the last scan did not have (begun, in this scan's order, each
    /// once) and those of the last it no longer has (ended, in the last scan's order).
    /// </summary>
    public (List<string> Begun, List<string> Ended) Next(IEnumerable<string> warnings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = warnings.Where(seen.Add).ToList();
        lock (_gate)
        {
            var before = new HashSet<string>(_last, StringComparer.Ordinal);
            var begun = now.Where(w => !before.Contains(w)).ToList();
            var ended = _last.Where(w => !seen.Contains(w)).ToList();
            _last = now;
            return (begun, ended);
        }
    }
}
