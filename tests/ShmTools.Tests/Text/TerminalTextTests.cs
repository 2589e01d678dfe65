using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ShmTools.Core.Text;

namespace ShmTools.Tests.Text;

/// <summary>What people are shown of hostile names: nothing a terminal obeys, and never two names alike.</summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain_name-1.2", "plain_name-1.2")]
    [InlineData("a\r\u001b[2Kb", "a\\r\\x1b[2Kb")]
    [InlineData("tab\tnl\nnul\0del\u007f", "tab\\tnl\\nnul\\x00del\\x7f")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("c1\u0085csi\u009b", "c1\\u{0085}csi\\u{009b}")]
    [InlineData("rlo\u202Egnp.exe", "rlo\\u{202e}gnp.exe")]
    [InlineData("ls\u2028ps\u2029", "ls\\u{2028}ps\\u{2029}")]
    [InlineData("real\uFFFD", "real\uFFFD")]
    [InlineData("日本語_Ünïcode", "日本語_Ünïcode")]
    public void Names_are_shown_with_escapes(string name, string shown) => Assert.Equal(shown, TerminalText.Name(name));

    [Fact]
    public void Invalid_utf8_bytes_are_shown_as_hex_and_differ_from_a_real_replacement_character()
    {
        Assert.Equal("a\\xff\\xc3", TerminalText.Name([(byte)'a', 0xFF, 0xC3]));
        Assert.Equal("a\uFFFD", TerminalText.Name(Encoding.UTF8.GetBytes("a\uFFFD")));
        Assert.Equal("\\xed\\xa0\\x80", TerminalText.Name([0xED, 0xA0, 0x80])); // an encoded surrogate is not UTF-8
    }

    [Fact]
    public void Safe_text_keeps_backslashes_and_escapes_controls()
    {
        Assert.Equal("C:\\dir \\x1b[31mred", TerminalText.Safe("C:\\dir \u001b[31mred"));
        string shown = TerminalText.Name("x\\y\u001b");
        Assert.Equal(shown, TerminalText.Safe(shown)); // a shown name passes through a table untouched
    }

    private static readonly Gen<byte[]> Names =
        Gen.ArrayOf(Gen.OneOf(
            Gen.Elements<byte>(0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x5C, 0x78, 0x75, 0x7B, 0x7F, 0x80, 0xC2, 0x85, 0xE2, 0x80, 0xAE, 0xEF, 0xBF, 0xBD, 0xFF),
            Gen.Choose(0, 255).Select(i => (byte)i)));

    [Fact]
    public void Every_shown_name_decodes_back_to_its_exact_bytes_and_holds_no_control_character()
    {
        Prop.ForAll(Arb.From(Names), raw =>
        {
            string shown = TerminalText.Name(raw);
            if (shown.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' || (c >= '\u202a' && c <= '\u202e')))
                return false.Label($"control character left in {shown}");
            var back = Decode(shown);
            return back.AsSpan().SequenceEqual(raw).Label($"{Convert.ToHexString(raw)} shown as {shown} decodes to {Convert.ToHexString(back)}");
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>The inverse of the escaping, written from its description: proves no two names look alike.</summary>
    private static byte[] Decode(string shown)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < shown.Length; i++)
        {
            if (shown[i] != '\\')
            {
                int len = char.IsHighSurrogate(shown[i]) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(shown.Substring(i, len)));
                i += len - 1;
                continue;
            }
            char e = shown[++i];
            switch (e)
            {
                case '\\': bytes.Add((byte)'\\'); break;
                case 't': bytes.Add(9); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 'x': bytes.Add(byte.Parse(shown.AsSpan(i + 1, 2), NumberStyles.HexNumber)); i += 2; break;
                case 'u':
                    int end = shown.IndexOf('}', i);
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(int.Parse(shown.AsSpan(i + 2, end - i - 2), NumberStyles.HexNumber))));
                    i = end;
                    break;
                default: throw new FormatException($"unknown escape \\{e} in {shown}");
            }
        }
        return bytes.ToArray();
    }
}
