using System.Text;
using ShmTools.Core.Text;

namespace ShmTools.Cli;

/// <summary>
/// Plain-text tables for people: columns sized to their content, the last one free. Every cell
/// goes through <see cref="TerminalText.Safe"/>: names and process names come from other users,
/// and a control character in one must not move the cursor or forge a row.
/// </summary>
public static class Output
{
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        foreach (var r in rows) all.Add(r.Select(TerminalText.Safe).ToArray());
        var widths = new int[headers.Count];
        foreach (var r in all)
            for (int i = 0; i < r.Count; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        var sb = new StringBuilder();
        foreach (var r in all)
        {
            for (int i = 0; i < r.Count; i++)
            {
                bool last = i == r.Count - 1;
                string cell = r[i];
                if (rightAligned?.Contains(i) == true) sb.Append(cell.PadLeft(widths[i]));
                else sb.Append(last ? cell : cell.PadRight(widths[i]));
                if (!last) sb.Append("  ");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
