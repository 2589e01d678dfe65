using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace ShmTools.Cli;

/// <summary>
/// The few JSON tokens a segment is made of, written as bytes: a property name already encoded
/// with its quotes and colon, then a string, a number, a timestamp or null. Text that is plain
/// printable ASCII (nearly every name, path and user) is copied as it is; anything else goes
/// through <see cref="JsonEncodedText"/>, the serializer's own escaping. Timestamps are written as
/// the serializer writes them (round-trip format, trailing zeros of the fraction dropped).
/// </summary>
internal static class JsonBytes
{
    /// <summary>A property name as `,"name":` (or without the comma, for the first).</summary>
    public static byte[] Name(string name, bool first = false) => Encoding.UTF8.GetBytes((first ? "" : ",") + "\"" + name + "\":");

    public static void Raw(IBufferWriter<byte> o, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(o.GetSpan(bytes.Length));
        o.Advance(bytes.Length);
    }

    public static void Null(IBufferWriter<byte> o, byte[] name)
    {
        var span = o.GetSpan(name.Length + 4);
        name.CopyTo(span);
        "null"u8.CopyTo(span[name.Length..]);
        o.Advance(name.Length + 4);
    }

    public static void String(IBufferWriter<byte> o, byte[] name, string? value)
    {
        if (value == null) { Null(o, name); return; }
        if (!IsPlain(value))
        {
            Raw(o, name);
            var encoded = Encode(value);
            var s = o.GetSpan(encoded.Length + 2);
            s[0] = (byte)'"';
            encoded.CopyTo(s[1..]);
            s[encoded.Length + 1] = (byte)'"';
            o.Advance(encoded.Length + 2);
            return;
        }
        var span = o.GetSpan(name.Length + value.Length + 2);
        name.CopyTo(span);
        int at = name.Length;
        span[at++] = (byte)'"';
        System.Text.Ascii.FromUtf16(value, span[at..], out int n);
        at += n;
        span[at++] = (byte)'"';
        o.Advance(at);
    }

    /// <summary>A string already encoded (an enum word).</summary>
    public static void String(IBufferWriter<byte> o, byte[] name, JsonEncodedText value)
    {
        var encoded = value.EncodedUtf8Bytes;
        var span = o.GetSpan(name.Length + encoded.Length + 2);
        name.CopyTo(span);
        span[name.Length] = (byte)'"';
        encoded.CopyTo(span[(name.Length + 1)..]);
        span[name.Length + 1 + encoded.Length] = (byte)'"';
        o.Advance(name.Length + encoded.Length + 2);
    }

    public static void Number(IBufferWriter<byte> o, byte[] name, long? value)
    {
        if (value is not { } v) { Null(o, name); return; }
        var span = o.GetSpan(name.Length + 20);
        name.CopyTo(span);
        Utf8Formatter.TryFormat(v, span[name.Length..], out int n);
        o.Advance(name.Length + n);
    }

    public static void Number(IBufferWriter<byte> o, byte[] name, ulong value)
    {
        var span = o.GetSpan(name.Length + 20);
        name.CopyTo(span);
        Utf8Formatter.TryFormat(value, span[name.Length..], out int n);
        o.Advance(name.Length + n);
    }

    /// <summary>`name` then an array of objects, each written by <paramref name="members"/> (its members, without braces).</summary>
    public static void Objects<T>(IBufferWriter<byte> o, byte[] name, IReadOnlyList<T> items, Action<IBufferWriter<byte>, T> members)
    {
        Raw(o, name);
        Raw(o, "["u8);
        for (int i = 0; i < items.Count; i++)
        {
            Raw(o, i == 0 ? "{"u8 : ",{"u8);
            members(o, items[i]);
            Raw(o, "}"u8);
        }
        Raw(o, "]"u8);
    }

    public static void Boolean(IBufferWriter<byte> o, byte[] name, bool value)
    {
        Raw(o, name);
        Raw(o, value ? "true"u8 : "false"u8);
    }

    /// <summary>As the serializer writes a DateTimeOffset: "O" format, the fraction's trailing zeros (and an empty fraction's dot) left out.</summary>
    public static void Time(IBufferWriter<byte> o, byte[] name, DateTimeOffset? value)
    {
        if (value is not { } v) { Null(o, name); return; }
        var span = o.GetSpan(name.Length + 40);
        name.CopyTo(span);
        int at = name.Length;
        // A file's times are mostly one instant (made, written, changed at once): that one is formatted once.
        var last = _lastTime ??= new LastTime();
        if (last.Length > 0 && last.Ticks == v.Ticks && last.Offset == v.Offset)
        {
            last.Bytes.AsSpan(0, last.Length).CopyTo(span[at..]);
            o.Advance(at + last.Length);
            return;
        }
        int from = at;
        span[at++] = (byte)'"';
        Utf8Formatter.TryFormat(v, span[at..], out int n, new StandardFormat('O'));
        var text = span.Slice(at, n);
        // yyyy-MM-ddTHH:mm:ss.fffffff then the offset (Z never: "O" writes +00:00 for DateTimeOffset).
        const int Dot = 19, Fraction = 7;
        int end = Dot + 1 + Fraction;
        int keep = end;
        while (keep > Dot + 1 && text[keep - 1] == (byte)'0') keep--;
        if (keep == Dot + 1) keep = Dot;
        if (keep < end)
        {
            text[end..].CopyTo(text[keep..]);
            n -= end - keep;
        }
        at += n;
        span[at++] = (byte)'"';
        span[from..at].CopyTo(last.Bytes);
        (last.Ticks, last.Offset, last.Length) = (v.Ticks, v.Offset, at - from);
        o.Advance(at);
    }

    /// <summary>The last timestamp this thread wrote, with its quotes.</summary>
    private sealed class LastTime
    {
        public long Ticks;
        public TimeSpan Offset;
        public int Length;
        public readonly byte[] Bytes = new byte[48];
    }

    [ThreadStatic] private static LastTime? _lastTime;

    /// <summary>
    /// The serializer's escaping. A lone surrogate (text that is not valid UTF-16) is written as
    /// U+FFFD, as the serializer writes it; JsonEncodedText alone would refuse the whole string.
    /// </summary>
    private static ReadOnlySpan<byte> Encode(string value)
    {
        try
        {
            return JsonEncodedText.Encode(value).EncodedUtf8Bytes;
        }
        catch (ArgumentException)
        {
            return JsonEncodedText.Encode(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value))).EncodedUtf8Bytes;
        }
    }

    /// <summary>Printable ASCII that the serializer's encoder leaves as it is.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`'))));

    private static bool IsPlain(string value) => !value.AsSpan().ContainsAnyExcept(Plain);
}
