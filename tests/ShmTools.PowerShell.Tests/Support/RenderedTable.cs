namespace ShmTools.PowerShell.Tests.Support;

/// <summary>
/// A table as Out-Default rendered it: columns found from the dashes under the headers, each row's
/// cells joined across its wrapped lines (a row continues while its first column is blank).
/// </summary>
public sealed class RenderedTable
{
    private RenderedTable(List<string> headers, List<Dictionary<string, string>> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<Dictionary<string, string>> Rows { get; }

    /// <summary>Every table in the console text, in order.</summary>
    public static List<RenderedTable> All(string console)
    {
        var lines = console.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var tables = new List<RenderedTable>();
        for (int i = 1; i < lines.Count; i++)
        {
            string dashes = lines[i];
            if (dashes.Trim().Length == 0 || dashes.Trim().Any(c => c != '-' && c != ' ')) continue;
            var spans = new List<(int Start, int End)>();
            for (int c = 0; c < dashes.Length; c++)
                if (dashes[c] == '-' && (c == 0 || dashes[c - 1] == ' '))
                {
                    int e = c;
                    while (e < dashes.Length && dashes[e] == '-') e++;
                    spans.Add((c, e));
                }
            int last = i + 1;
            while (last < lines.Count && lines[last].Trim().Length > 0) last++;
            var block = lines.Skip(i - 1).Take(last - i + 1).ToList();
            bool Blank(int pos) => block.All(l => pos >= l.Length || l[pos] == ' ');
            // Columns are separated by one space: left of a left-aligned column's dashes; for a
            // right-aligned one (cells reaching left of its dashes), the first blank after the previous column.
            var cuts = new List<int>();
            for (int k = 1; k < spans.Count; k++)
            {
                int cut = spans[k].Start - 1;
                if (!Blank(cut))
                    for (int p = spans[k - 1].End; p < spans[k].Start; p++)
                        if (Blank(p)) { cut = p; break; }
                cuts.Add(cut);
            }
            var ranges = spans.Select((_, k) => (Start: k == 0 ? 0 : cuts[k - 1] + 1, End: k < cuts.Count ? cuts[k] : int.MaxValue)).ToList();
            var headers = ranges.Select(r => Cell(lines[i - 1], r)).ToList();
            var rows = new List<Dictionary<string, string>>();
            int j = i + 1;
            for (; j < lines.Count && lines[j].Trim().Length > 0; j++)
            {
                var cells = ranges.Select(r => Cell(lines[j], r)).ToList();
                if (rows.Count == 0 || cells[0].Length > 0) rows.Add(headers.ToDictionary(h => h, _ => ""));
                var row = rows[^1];
                for (int k = 0; k < headers.Count; k++)
                    if (cells[k].Length > 0) row[headers[k]] = row[headers[k]].Length == 0 ? cells[k] : row[headers[k]] + " " + cells[k];
            }
            tables.Add(new RenderedTable(headers, rows));
            i = j;
        }
        return tables;
    }

    /// <summary>Text compared without the spaces wrapping may add or remove.</summary>
    public static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    private static string Cell(string line, (int Start, int End) r)
    {
        if (r.Start >= line.Length) return "";
        int end = Math.Min(line.Length, r.End);
        return line[r.Start..end].Trim();
    }
}
