using System.Text.RegularExpressions;

namespace ShmTools.Core.Text;

/// <summary>
/// The warnings of a scan that repeats (an exporter's, once per scrape interval) against the last
/// scan's: a log then says a warning when it begins and when it is over, not at every scan. Two
/// warnings that differ only in their numbers (a count of processes, a pid, an errno's) are the
/// same warning: the count of unreadable processes on a busy host changes at nearly every scan.
/// </summary>
public sealed partial class WarningChanges
{
    private readonly object _gate = new();
    private List<(string Key, string Text)> _last = new(); // the last scan's warnings, one per key, in its order

    /// <summary>
    /// This scan's warnings: those of the last scan it no longer has (ended, in the last scan's
    /// order and words) and those the last scan did not have (begun, in this scan's order, each once).
    /// </summary>
    public (List<string> Ended, List<string> Begun) Next(IEnumerable<string> warnings)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var now = new List<(string Key, string Text)>();
        foreach (var w in warnings)
            if (keys.Add(KeyOf(w))) now.Add((KeyOf(w), w));
        lock (_gate)
        {
            var before = new HashSet<string>(_last.Select(l => l.Key), StringComparer.Ordinal);
            var ended = _last.Where(l => !keys.Contains(l.Key)).Select(l => l.Text).ToList();
            var begun = now.Where(n => !before.Contains(n.Key)).Select(n => n.Text).ToList();
            _last = now;
            return (ended, begun);
        }
    }

    /// <summary>The warning with every run of digits as one '#'.</summary>
    public static string KeyOf(string warning) => Digits().Replace(warning, "#");

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
