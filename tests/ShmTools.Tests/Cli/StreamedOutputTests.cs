using System.Buffers;
using System.Text.Json;
using ShmTools.Cli;

namespace ShmTools.Tests.Cli;

/// <summary>Output written while its rows are still being made: JSON batches and the streamed table.</summary>
public sealed class StreamedOutputTests
{
    private static string Json(int batches, Func<int, IReadOnlyList<int>> batch)
    {
        var stream = new MemoryStream();
        JsonChunks.WriteRawBatches(stream, batches, batch, static (o, n) => o.Write(System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)] // past two batches: made and encoded on two threads
    public void Empty_batches_anywhere_leave_valid_json_in_order(int batches)
    {
        IReadOnlyList<int> Batch(int b) => b % 3 == 0 ? [] : Enumerable.Range(b * 10, b % 3).ToArray();
        var expected = Enumerable.Range(0, batches).SelectMany(Batch).ToArray();
        string text = Json(batches, Batch);
        Assert.Equal(expected, JsonSerializer.Deserialize<int[]>(text));
        Assert.Equal("[]", Json(batches, _ => []));
        Assert.Equal("[]", Json(0, _ => throw new InvalidOperationException("no batch to make")));
    }

    [Fact]
    public void A_failing_batch_stops_the_array_with_its_error()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Json(8, b => b == 5 ? throw new IOException("batch 5 failed") : [b]));
        Assert.Contains("batch 5 failed", ex.ToString());
    }

    [Fact]
    public void A_short_table_streams_exactly_as_the_measured_table()
    {
        string[] headers = ["A", "BB", "C"];
        var rows = Enumerable.Range(0, 40).Select(i => (IReadOnlyList<string>)[new string('x', i % 7), i.ToString(), "last " + i]).ToList();
        var measured = new StringWriter();
        Output.WriteTable(measured, headers, rows.Count, i => rows[i], new HashSet<int> { 1 });
        var streamed = new StringWriter();
        Output.WriteStreamedTable(streamed, headers, rows, new HashSet<int> { 1 });
        Assert.Equal(measured.ToString(), streamed.ToString());
    }

    [Fact]
    public void A_long_table_is_sized_by_its_first_rows_and_widens_for_later_ones()
    {
        var made = 0;
        IEnumerable<IReadOnlyList<string>> Rows()
        {
            for (int i = 0; i < 5; i++)
            {
                made++;
                yield return i < 4 ? ["ab", "x" + i] : ["a-much-wider-cell", "y"];
            }
        }
        var text = new StringWriter();
        Output.WriteStreamedTable(text, ["K", "V"], Rows(), sizedBy: 2);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, made);
        Assert.Equal(["K   V", "ab  x0", "ab  x1", "ab  x2", "ab  x3", "a-much-wider-cell  y"], lines);
    }

    [Fact]
    public void A_cell_wider_than_a_column_may_be_is_written_whole_and_moves_only_its_own_row()
    {
        string longName = new('n', 255);
        var rows = new List<IReadOnlyList<string>> { (["kept", "a", "live: held"]), (["kept", longName, "unknown"]), (["removed", "b", "stale"]) };
        var text = new StringWriter();
        Output.WriteTable(text, ["ACTION", "NAME", "REASON"], rows.Count, i => rows[i], new HashSet<int> { 0 });
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // NAME is 64 wide at most: the short rows' reasons start at one column, the long row's after its whole name.
        int reasonAt = "removed".Length + 2 + Output.MaxColumnWidth + 2;
        Assert.Equal(reasonAt, lines[0].IndexOf("REASON", StringComparison.Ordinal));
        Assert.Equal(reasonAt, lines[1].IndexOf("live: held", StringComparison.Ordinal));
        Assert.Equal(reasonAt, lines[3].IndexOf("stale", StringComparison.Ordinal));
        Assert.Equal("   kept  " + longName + "  unknown", lines[2]);
    }

    [Fact]
    public void Control_characters_in_streamed_cells_are_escaped()
    {
        var text = new StringWriter();
        Output.WriteStreamedTable(text, ["NAME"], [["evil\n\x1b[2Jrow"]]);
        Assert.Equal("NAME\nevil\\n\\x1b[2Jrow\n", text.ToString());
    }
}
