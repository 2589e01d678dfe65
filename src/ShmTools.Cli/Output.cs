using System.Text;
using ShmTools.Core.Text;

namespace ShmTools.Cli;

/// <summary>
/// Plain-text tables for people: columns sized to their content, the last one free. Every cell
/// goes through <see cref="TerminalText.Safe"/>: names and process names come from other users,
/// and a control character in one must not move the cursor or forge a row. A column is never
/// sized wider than <see cref="MaxColumnWidth"/>: a longer cell (a 255-byte name) is written
/// whole and pushes only the rest of its own row to the right.
/// </summary>
public static class Output
{
    public const int MaxColumnWidth = 64;

    /// <summary>Writes text to stdout through one large buffer (a long table is not flushed line by line).</summary>
    public static void Stream(Action<TextWriter> write)
    {
        Console.Out.Flush();
        using var stdout = new StreamWriter(new StdoutStream(), new UTF8Encoding(false), 1 << 16);
        write(stdout);
    }

    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null)
    {
        var all = rows as IReadOnlyList<IReadOnlyList<string>> ?? rows.ToList();
        var text = new StringWriter();
        WriteTable(text, headers, all.Count, i => all[i], rightAligned);
        return text.ToString();
    }

    /// <summary>
    /// Writes a table row by row: one pass asks every row for its cell widths, a second asks again
    /// and writes it, so a list of any length is never held as text.
    /// </summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> headers, int count, Func<int, IReadOnlyList<string>> row, ISet<int>? rightAligned = null)
    {
        var widths = new int[headers.Count];
        Measure(widths, headers);
        for (int i = 0; i < count; i++) Measure(widths, row(i));
        var line = new StringBuilder(256);
        WriteRow(output, line, widths, headers, rightAligned);
        for (int i = 0; i < count; i++) WriteRow(output, line, widths, row(i), rightAligned);
    }

    /// <summary>
    /// Writes a table while its rows are still being made: the columns are sized to the first
    /// <paramref name="sizedBy"/> rows (every row, for a shorter table); a later row with a wider
    /// cell widens that column from there on. Nothing but those first rows is held.
    /// </summary>
    public static void WriteStreamedTable(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null, int sizedBy = 512)
    {
        var widths = new int[headers.Count];
        Measure(widths, headers);
        var first = new List<IReadOnlyList<string>>(Math.Min(sizedBy, 64));
        var line = new StringBuilder(256);
        using var e = rows.GetEnumerator();
        bool more;
        while ((more = e.MoveNext()) && first.Count < sizedBy)
        {
            first.Add(e.Current);
            Measure(widths, e.Current);
        }
        WriteRow(output, line, widths, headers, rightAligned);
        foreach (var r in first) WriteRow(output, line, widths, r, rightAligned);
        first.Clear();
        for (; more; more = e.MoveNext())
        {
            Measure(widths, e.Current);
            WriteRow(output, line, widths, e.Current, rightAligned);
        }
    }

    private static void Measure(int[] widths, IReadOnlyList<string> cells)
    {
        for (int i = 0; i < cells.Count; i++) widths[i] = Math.Max(widths[i], Math.Min(MaxColumnWidth, TerminalText.Safe(cells[i]).Length));
    }

    private static void WriteRow(TextWriter output, StringBuilder line, int[] widths, IReadOnlyList<string> cells, ISet<int>? rightAligned)
    {
        line.Clear();
        for (int i = 0; i < cells.Count; i++)
        {
            bool last = i == cells.Count - 1;
            string cell = TerminalText.Safe(cells[i]);
            int pad = Math.Max(0, widths[i] - cell.Length);
            if (rightAligned?.Contains(i) == true) line.Append(' ', pad).Append(cell);
            else
            {
                line.Append(cell);
                if (!last) line.Append(' ', pad);
            }
            if (!last) line.Append("  ");
        }
        line.Append('\n');
        output.Write(line);
    }
}
