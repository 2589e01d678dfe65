using System.Buffers;
using System.Text.Json;

namespace ShmTools.Cli;

/// <summary>
/// Writes a long list as a JSON array while it is being encoded: items are encoded in batches
/// by up to two threads into a few reused buffers, and each batch goes to the stream in order as
/// soon as it is ready. Memory stays bounded by the buffers in flight, never the whole document.
/// </summary>
public static class JsonChunks
{
    /// <summary>Items per batch: big enough to amortise the hand-over, small enough to stream.</summary>
    public const int BatchSize = 512;

    public static void WriteArray<T>(Stream stream, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        stream.WriteByte((byte)'[');
        int batches = (items.Count + BatchSize - 1) / BatchSize;
        if (batches <= 2 || Environment.ProcessorCount < 2)
        {
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            for (int b = 0; b < batches; b++)
            {
                Encode(items, b, buffer, writeItem);
                Emit(stream, buffer, b);
            }
        }
        else
        {
            WriteInParallel(stream, items, batches, writeItem);
        }
        stream.WriteByte((byte)']');
    }

    /// <summary>
    /// Two encoders, each with its own pair of buffers: the helper encodes the odd batches, the
    /// caller the even ones and writes every batch in order. A batch's buffer is reused once the
    /// writer has emitted it, so at most four are alive at any time.
    /// </summary>
    private static void WriteInParallel<T>(Stream stream, IReadOnlyList<T> items, int batches, Action<Utf8JsonWriter, T> writeItem)
    {
        const int Slots = 2;
        var buffers = new ArrayBufferWriter<byte>[Slots];
        for (int i = 0; i < Slots; i++) buffers[i] = new ArrayBufferWriter<byte>(64 * 1024);
        using var ready = new SemaphoreSlim(0, Slots);   // encoded odd batches waiting to be written
        using var free = new SemaphoreSlim(Slots, Slots); // odd-batch buffers the helper may fill
        Exception? failure = null;
        using var stop = new CancellationTokenSource();
        var helper = new Thread(() =>
        {
            try
            {
                for (int b = 1; b < batches; b += 2)
                {
                    free.Wait(stop.Token);
                    Encode(items, b, buffers[(b / 2) % Slots], writeItem);
                    ready.Release();
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception ex)
            {
                failure = ex;
                ready.Release();
            }
        }) { IsBackground = true, Name = "shmtools-json" };
        helper.Start();
        var own = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            for (int b = 0; b < batches; b++)
            {
                if (b % 2 == 0)
                {
                    Encode(items, b, own, writeItem);
                    Emit(stream, own, b);
                    continue;
                }
                ready.Wait();
                if (failure != null) throw new AggregateException(failure);
                var buffer = buffers[(b / 2) % Slots];
                Emit(stream, buffer, b);
                free.Release();
            }
        }
        finally
        {
            stop.Cancel();
            helper.Join();
        }
    }

    private static void Encode<T>(IReadOnlyList<T> items, int batch, ArrayBufferWriter<byte> buffer, Action<Utf8JsonWriter, T> writeItem)
    {
        buffer.ResetWrittenCount();
        using var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        // Without validation the writer separates consecutive top-level values with commas.
        int to = Math.Min(items.Count, (batch + 1) * BatchSize);
        for (int i = batch * BatchSize; i < to; i++) writeItem(w, items[i]);
        w.Flush();
    }

    private static void Emit(Stream stream, ArrayBufferWriter<byte> buffer, int batch)
    {
        if (buffer.WrittenCount == 0) return;
        if (batch > 0) stream.WriteByte((byte)',');
        stream.Write(buffer.WrittenSpan);
    }
}
