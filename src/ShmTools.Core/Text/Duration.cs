using System.Globalization;

namespace ShmTools.Core.Text;

/// <summary>Durations as people write them on a command line: 90s, 30m, 24h, 7d, 1.5h, or 01:30:00.</summary>
public static class Duration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (s.Contains(':')) return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        double factor = char.ToLowerInvariant(s[^1]) switch
        {
            's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 7 * 86400,
            _ => double.NaN,
        };
        var number = double.IsNaN(factor) ? s : s[..^1];
        if (double.IsNaN(factor)) factor = 1;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
        var seconds = n * factor;
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
