using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Formats;

namespace ShmTools.Core.Planning;

/// <summary>Opens a model by its file type: .onnx, or a .yaml/.yml/.json graph.</summary>
public static class ModelLoader
{
    public static ModelGraph Load(string path, IReadOnlyDictionary<string, long[]>? inputShapes = null)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such file.");
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".yaml" or ".yml" or ".json" => FileFormats.Graphs.Read(path),
            _ => FileFormats.Onnx.Read(path, inputShapes),
        };
    }

    /// <summary>Parses "name=1,3,640,640".</summary>
    public static (string Name, long[] Shape) ParseInputShape(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new FormatException($"'{text}' is not NAME=D1,D2,... (e.g. x=1,3,640,640)");
        var dims = text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                : throw new FormatException($"'{text}': dimension '{d}' is not a positive whole number")).ToArray();
        return (text[..eq].Trim(), dims);
    }
}
