using System.Text;

namespace ShmTools.Cli;

/// <summary>Plain-text tables for people: columns sized to their content, the last one free.</summary>
public static class Output
{
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
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
