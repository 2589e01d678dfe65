using System.Globalization;

namespace ShmTools.Core.Text;

/// <summary>
/// Durations as people write them: 500ms, 90s, 30m, 24h, 7d, 2w, 1.5h, a bare number of
/// seconds, or 01:30:00. The one parser both front ends use; its errors say what was wrong
/// without naming any option, so each front end can prefix its own parameter name.
/// </summary>
public static class Duration
{
    /// <summary>Examples for messages and help.</summary>
    public const string Examples = "500ms, 30s, 30m, 24h, 7d";

    // Longest suffix first: "ms" before "m" and "s".
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 7 * 86400),
    ];

    // Leave headroom so that adding the duration to a date never overflows.
    private static readonly double MaxSeconds = TimeSpan.FromDays(365 * 1000).TotalSeconds;

    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Parses; on failure <paramref name="problem"/> says why (e.g. "negative").</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string problem)
    {
        value = default;
        problem = "";
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            problem = $"empty; give a duration such as {Examples}";
            return false;
        }
        if (s.StartsWith('-'))
        {
            problem = "a duration cannot be negative";
            return false;
        }
        if (s.Contains(':'))
        {
            if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero) return true;
            problem = $"not a duration (hh:mm:ss, or {Examples})";
            return false;
        }
        double factor = 1;
        var number = s;
        foreach (var (suffix, seconds) in Units)
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = seconds;
                number = s[..^suffix.Length].TrimEnd();
                break;
            }
        // Plain decimal notation only: no exponents, thousands separators, NaN or Infinity.
        if (number.Length == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
        {
            problem = $"not a duration (e.g. {Examples})";
            return false;
        }
        var total = n * factor;
        if (!double.IsFinite(total) || total > MaxSeconds)
        {
            problem = "too long a duration (at most 1000 years)";
            return false;
        }
        value = TimeSpan.FromTicks((long)Math.Round(total * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Parses or throws a <see cref="FormatException"/> that quotes the text and says why.</summary>
    public static TimeSpan Parse(string? text) =>
        TryParse(text, out var value, out var problem) ? value : throw new FormatException($"'{text}': {problem}.");

    /// <summary>A duration the way <see cref="Parse"/> reads it back (e.g. 1.5h, 500ms).</summary>
    public static string Format(TimeSpan t)
    {
        if (t == TimeSpan.Zero) return "0s";
        for (int i = Units.Length - 1; i >= 0; i--)
        {
            var (suffix, seconds) = Units[i];
            var n = t.TotalSeconds / seconds;
            if (n >= 1 && Math.Abs(n * 1000 - Math.Round(n * 1000)) < 1e-6) return n.ToString("0.###", CultureInfo.InvariantCulture) + suffix;
        }
        return t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
    }
}
