using System.Buffers;

namespace ShmTools.Cli;

/// <summary>
/// Writes a long list as a JSON array while it is being made and encoded: batches are made and
/// encoded by up to two threads into a few reused buffers, and each goes to the stream in order
/// as soon as it is ready. Memory stays bounded by the batches in flight, never the whole
/// document (nor, for a streamed scan, the whole list).
/// </summary>
public static class JsonChunks
{
    /// <summary>Items per batch of a list already in memory: big enough to amortise the hand-over, small enough to stream.</summary>
    public const int BatchSize = 512;

    /// <summary>How many batches of <see cref="BatchSize"/> a list in memory makes.</summary>
    public static int BatchesOf<T>(IReadOnlyList<T> items) => (items.Count + BatchSize - 1) / BatchSize;

    /// <summary>Batch <paramref name="b"/> of a list in memory, as a view (nothing copied).</summary>
    public static IReadOnlyList<T> Batch<T>(IReadOnlyList<T> items, int b) => new Slice<T>(items, b * BatchSize, Math.Min(BatchSize, items.Count - b * BatchSize));

    /// <summary>
    /// Writes batch 0, 1, ... <paramref name="batches"/> - 1 as one array of the items' own bytes
    /// (one JSON value each, no separator). <paramref name="batch"/> is called from two threads
    /// at once (never twice for one index) and may return an empty list.
    /// </summary>
    public static void WriteRawBatches<T>(Stream stream, int batches, Func<int, IReadOnlyList<T>> batch, Action<ArrayBufferWriter<byte>, T> writeItem) =>
        WriteEncoded(stream, batches, (b, buffer) =>
        {
            var items = batch(b);
            for (int i = 0; i < items.Count; i++)
            {
                if (i > 0) buffer.Write(","u8);
                writeItem(buffer, items[i]);
            }
        });

    private static void WriteEncoded(Stream stream, int batches, Action<int, ArrayBufferWriter<byte>> encode)
    {
        stream.WriteByte((byte)'[');
        bool any = false;
        if (batches <= 2 || Environment.ProcessorCount < 2)
        {
            var buffer = new ArrayBufferWriter<byte>(InitialBuffer);
            for (int b = 0; b < batches; b++)
            {
                buffer.ResetWrittenCount();
                encode(b, buffer);
                Emit(stream, buffer, ref any);
            }
        }
        else
        {
            WriteInParallel(stream, batches, encode, ref any);
        }
        stream.WriteByte((byte)']');
    }

    /// <summary>A batch buffer's first size: about what 512 segments take, so it rarely grows.</summary>
    private const int InitialBuffer = 256 * 1024;

    /// <summary>
    /// Two encoders, each with its own buffers: the helper makes and encodes the odd batches, the
    /// caller the even ones and writes every batch in order. A batch's buffer is reused once the
    /// writer has emitted it, so at most three are alive at any time.
    /// </summary>
    private static void WriteInParallel(Stream stream, int batches, Action<int, ArrayBufferWriter<byte>> encode, ref bool any)
    {
        const int Slots = 2;
        var buffers = new ArrayBufferWriter<byte>[Slots];
        for (int i = 0; i < Slots; i++) buffers[i] = new ArrayBufferWriter<byte>(InitialBuffer);
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
                    var buffer = buffers[(b / 2) % Slots];
                    buffer.ResetWrittenCount();
                    encode(b, buffer);
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
        var own = new ArrayBufferWriter<byte>(InitialBuffer);
        try
        {
            for (int b = 0; b < batches; b++)
            {
                if (b % 2 == 0)
                {
                    own.ResetWrittenCount();
                    encode(b, own);
                    Emit(stream, own, ref any);
                    continue;
                }
                ready.Wait();
                if (failure != null) throw new AggregateException(failure);
                Emit(stream, buffers[(b / 2) % Slots], ref any);
                free.Release();
            }
        }
        finally
        {
            stop.Cancel();
            helper.Join();
        }
    }

    private static void Emit(Stream stream, ArrayBufferWriter<byte> buffer, ref bool any)
    {
        if (buffer.WrittenCount == 0) return;
        if (any) stream.WriteByte((byte)',');
        stream.Write(buffer.WrittenSpan);
        any = true;
    }

    /// <summary>A view of part of a list (a batch), without copying it.</summary>
    private sealed class Slice<T>(IReadOnlyList<T> items, int from, int count) : IReadOnlyList<T>
    {
        public T this[int index] => (uint)index < (uint)count ? items[from + index] : throw new ArgumentOutOfRangeException(nameof(index));
        public int Count => count;
        public IEnumerator<T> GetEnumerator()
        {
            for (int i = 0; i < count; i++) yield return items[from + i];
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
