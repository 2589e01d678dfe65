using System.Globalization;
using ShmTools.Core.Inputs;
using ShmTools.Core.Planning.Graph;

namespace ShmTools.Core.Planning.Buffers;

/// <summary>
/// Reads a buffer list: CSV with the header <c>id,lower,upper,size</c> (or the older
/// <c>buffer,start,end,size</c>), one buffer per line, alive over [lower, upper). Further
/// columns (an <c>offset</c> column of a written plan, for instance) are ignored, so a plan can
/// be read back. Every error names the file and line.
/// </summary>
public static class BufferListReader
{
    /// <summary>A buffer list larger than this (in bytes) is refused.</summary>
    public const int MaxChars = 256 << 20;

    public static IReadOnlyList<BufferSpec> Read(string path)
    {
        string text;
        try
        {
            // Opened without blocking and checked on the open descriptor: a FIFO, device or
            // directory is refused at once, never waited on or read to no end.
            text = InputFile.ReadAllText(path, MaxChars);
        }
        catch (InputFileException ex)
        {
            throw new ModelFormatException(ex.Message);
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<BufferSpec> Parse(string text, string source)
    {
        var lines = text.Split('\n');
        int lineNo = 0;
        string[]? header = null;
        var buffers = new List<BufferSpec>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int id = -1, lower = -1, upper = -1, size = -1;
        foreach (var raw in lines)
        {
            lineNo++;
            var line = raw.TrimEnd('\r').Trim();
            if (lineNo == 1 && line.StartsWith('\uFEFF')) line = line[1..];
            if (line.Length == 0) continue;
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (header == null)
            {
                header = cells.Select(c => c.ToLowerInvariant()).ToArray();
                id = Column(header, "id", "buffer");
                lower = Column(header, "lower", "start");
                upper = Column(header, "upper", "end");
                size = Column(header, "size", null);
                if (id < 0 || lower < 0 || upper < 0 || size < 0)
                    throw new ModelFormatException($"{source}:{lineNo}: the header must name the columns id,lower,upper,size (or buffer,start,end,size), not '{Shorten(line)}'.");
                continue;
            }
            if (cells.Length != header.Length)
                throw new ModelFormatException($"{source}:{lineNo}: {cells.Length} fields where the header has {header.Length}.");
            string name = cells[id];
            if (name.Length == 0) throw new ModelFormatException($"{source}:{lineNo}: the buffer has no id.");
            long lo = Number(cells[lower], "lower", source, lineNo, name), hi = Number(cells[upper], "upper", source, lineNo, name), sz = Number(cells[size], "size", source, lineNo, name);
            if (hi <= lo) throw new ModelFormatException($"{source}:{lineNo}: buffer '{name}' ends ({hi}) where or before it starts ({lo}); intervals are [lower, upper).");
            if (!ids.Add(name)) throw new ModelFormatException($"{source}:{lineNo}: buffer id '{name}' appears twice.");
            buffers.Add(new BufferSpec(name, lo, hi, sz));
        }
        if (header == null) throw new ModelFormatException($"{source}: the buffer list is empty (expected the header id,lower,upper,size).");
        // Every peak must stay within a long: the sum of all sizes bounds any canonical placement.
        long total = 0;
        foreach (var b in buffers)
            if ((total += b.Size) < 0) throw new ModelFormatException($"{source}: the sizes add up to more than {long.MaxValue} bytes.");
        return buffers;
    }

    private static int Column(string[] header, string name, string? older)
    {
        int i = Array.IndexOf(header, name);
        return i >= 0 || older == null ? i : Array.IndexOf(header, older);
    }

    private static long Number(string cell, string column, string source, int line, string buffer)
    {
        if (!long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
            throw new ModelFormatException($"{source}:{line}: buffer '{buffer}': {column} '{Shorten(cell)}' is not a whole number of 0 or more.");
        return v;
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "..." : s;
}
