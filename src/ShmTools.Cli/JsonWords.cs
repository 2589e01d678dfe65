using System.Text.Json;
using ShmTools.Core.Text;

namespace ShmTools.Cli;

/// <summary>Core's enum words pre-encoded for the forward-only JSON writers, indexed by the value.</summary>
public static class JsonWords
{
    public static JsonEncodedText[] Of<T>() where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var words = new JsonEncodedText[values.Max(v => Convert.ToInt32(v)) + 1];
        foreach (var v in values) words[Convert.ToInt32(v)] = JsonEncodedText.Encode(EnumWords.Word(v));
        return words;
    }
}
