using System.Globalization;
using System.Text;

namespace ShmTools.Core.Text;

/// <summary>
/// Text from other users (segment names, process names) made safe for a terminal: control
/// characters, line and paragraph separators and bidirectional overrides are written as escapes,
/// so no name can move the cursor, clear a line or reorder what is shown. Only what is shown to
/// people is escaped; the objects and the JSON keep the exact text.
/// </summary>
public static class TerminalText
{
    /// <summary>
    /// A name as people are shown it: the escapes above, invalid UTF-8 bytes as <c>\xNN</c> and a
    /// backslash as <c>\\</c>, so two different names never look the same (a real U+FFFD stays
    /// U+FFFD; the byte 0xFF is <c>\xff</c>).
    /// </summary>
    public static string Name(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder(raw.Length + 8);
        while (!raw.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(raw, out var rune, out int used);
            if (status != System.Buffers.OperationStatus.Done)
            {
                foreach (byte b in raw[..Math.Max(1, used)]) sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                raw = raw[Math.Max(1, used)..];
                continue;
            }
            Append(sb, rune, escapeBackslash: true);
            raw = raw[used..];
        }
        return sb.ToString();
    }

    /// <summary>A name given as text: the same escapes as <see cref="Name(ReadOnlySpan{byte})"/>.</summary>
    public static string Name(string name) => NeedsEscape(name, escapeBackslash: true) ? Name(Encoding.UTF8.GetBytes(name)) : name;

    /// <summary>Any text for a terminal: control characters escaped, backslashes left alone.</summary>
    public static string Safe(string text)
    {
        if (!NeedsEscape(text, escapeBackslash: false)) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes()) Append(sb, rune, escapeBackslash: false);
        return sb.ToString();
    }

    /// <summary>Whether <see cref="Safe"/> would change <paramref name="text"/>.</summary>
    public static bool NeedsEscape(ReadOnlySpan<char> text) => NeedsEscape(text, escapeBackslash: false);

    private static bool NeedsEscape(ReadOnlySpan<char> text, bool escapeBackslash)
    {
        foreach (char c in text)
            if (c < 0x20 || (c >= 0x7f && IsUnsafe(c)) || (escapeBackslash && c == '\\') || char.IsSurrogate(c)) return true;
        return false;
    }

    private static bool IsUnsafe(int c) =>
        c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x061c || c == 0x200e || c == 0x200f
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);

    private static void Append(StringBuilder sb, Rune rune, bool escapeBackslash)
    {
        int c = rune.Value;
        switch (c)
        {
            case '\t': sb.Append("\\t"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\\' when escapeBackslash: sb.Append("\\\\"); return;
        }
        if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
        else if (IsUnsafe(c)) sb.Append("\\u{").Append(c.ToString("x4", CultureInfo.InvariantCulture)).Append('}');
        else sb.Append(rune.ToString());
    }
}
