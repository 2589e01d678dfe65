using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ShmTools.Cli;

/// <summary>Writes JSON straight to stdout through one buffered stream (no intermediate string).</summary>
public static class JsonOutput
{
    public static void Write<T>(T value, JsonTypeInfo<T> type) => Write(stream => JsonSerializer.Serialize(stream, value, type));

    public static void Write(Action<Stream> writer)
    {
        Console.Out.Flush();
        using var stdout = new StdoutStream();
        using var buffered = new BufferedStream(stdout, 1 << 16);
        writer(buffered);
        buffered.WriteByte((byte)'\n');
    }
}
