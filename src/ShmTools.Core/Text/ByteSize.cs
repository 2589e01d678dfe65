using System.Globalization;

namespace ShmTools.Core.Text;

/// <summary>Byte counts as people write and read them: 4096, 64K, 1.5GiB, 10MB.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("tib", 1L << 40), ("gib", 1L << 30), ("mib", 1L << 20), ("kib", 1L << 10),
        ("tb", 1_000_000_000_000), ("gb", 1_000_000_000), ("mb", 1_000_000), ("kb", 1_000),
        ("t", 1L << 40), ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10),
        ("b", 1),
    ];

    /// <summary>Parses a size; plain numbers are bytes, K/M/G/T are powers of 1024, KB/MB/GB/TB powers of 1000.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim().ToLowerInvariant();
        long factor = 1;
        foreach (var (suffix, f) in Units)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length].TrimEnd();
                factor = f;
                break;
            }
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        if (value > long.MaxValue / (decimal)factor) return false;
        var result = value * factor;
        bytes = (long)result;
        return true;
    }

    /// <summary>A short human form: 512 B, 4.0 KiB, 1.5 GiB.</summary>
    private static readonly string[] BinaryUnits = ["KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        var units = BinaryUnits;
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.Length - 1) { v /= 1024; i++; }
        return v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[i];
    }
}
