using System.Globalization;
using System.Text;

namespace ShmTools.Core.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): one HELP and TYPE line per
/// family, then its samples; label values escaped (backslash, double quote, newline) so that no
/// segment or process name can break a line or forge a label.
/// </summary>
public sealed class ExpositionWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>Starts a family; every sample written after it must carry its name.</summary>
    public ExpositionWriter Family(string name, string type, string help)
    {
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid metric name.", nameof(name));
        if (!_families.Add(name)) throw new InvalidOperationException($"Metric family {name} written twice.");
        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ');
        foreach (char c in help)
        {
            if (c == '\\') _text.Append("\\\\");
            else if (c == '\n') _text.Append("\\n");
            else _text.Append(c);
        }
        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    public ExpositionWriter Gauge(string name, string help) => Family(name, "gauge", help);

    /// <summary>A sample of the current family; <paramref name="labels"/> are name/value pairs, empty values left out.</summary>
    public ExpositionWriter Sample(double value, params (string Name, string? Value)[] labels)
    {
        if (_current == null) throw new InvalidOperationException("Sample before any family.");
        _text.Append(_current);
        bool any = false;
        foreach (var (name, v) in labels)
        {
            if (string.IsNullOrEmpty(v)) continue;
            _text.Append(any ? ',' : '{').Append(name).Append("=\"");
            AppendEscaped(v);
            _text.Append('"');
            any = true;
        }
        if (any) _text.Append('}');
        _text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    private void AppendEscaped(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                _text.Append(c).Append(value[++i]);
                continue;
            }
            switch (c)
            {
                case '\\': _text.Append("\\\\"); break;
                case '"': _text.Append("\\\""); break;
                case '\n': _text.Append("\\n"); break;
                default:
                    // Lone surrogates (from names that are not valid UTF-8) would not encode: replace them.
                    _text.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    break;
            }
        }
    }

    public static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static bool IsValidName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0])) return false;
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':')) return false;
        return true;
    }
}
