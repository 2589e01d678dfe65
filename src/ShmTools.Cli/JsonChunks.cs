using System.Buffers;
using System.Text.Json;
using ShmTools.Core.Threading;

namespace ShmTools.Cli;

/// <summary>Encodes a long list as a JSON array in chunks on several threads, then joins them in order.</summary>
public static class JsonChunks
{
    public static void WriteArray<T>(Stream stream, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        var parts = Chunked.Run(items, (list, from, to) =>
        {
            var buffer = new ArrayBufferWriter<byte>(Math.Max(256, (to - from) * 700));
            using var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
            // Without validation the writer separates consecutive top-level values with commas.
            for (int i = from; i < to; i++) writeItem(w, list[i]);
            w.Flush();
            return buffer;
        });
        stream.WriteByte((byte)'[');
        bool first = true;
        foreach (var part in parts)
        {
            if (part.WrittenCount == 0) continue;
            if (!first) stream.WriteByte((byte)',');
            stream.Write(part.WrittenSpan);
            first = false;
        }
        stream.WriteByte((byte)']');
    }
}
