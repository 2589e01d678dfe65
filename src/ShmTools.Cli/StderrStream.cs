using ShmTools.Core.Native;

namespace ShmTools.Cli;

/// <summary>
/// Standard error written to descriptor 2 itself, where a failed write is dropped: a warning or
/// an error line that cannot be shown (stderr closed, on a full disk, open only for reading) must
/// not turn into an abort with a stack trace and exit code 134 and take the command's own exit
/// code with it. The runtime's console stream throws there.
/// </summary>
public sealed class StderrStream : Stream
{
    /// <summary>Makes <see cref="Console.Error"/> this stream (on Linux; elsewhere it stays as it is).</summary>
    public static void Install()
    {
        if (!OperatingSystem.IsLinux()) return;
        Console.SetError(TextWriter.Synchronized(new StreamWriter(new StderrStream(), new System.Text.UTF8Encoding(false), 4096) { AutoFlush = true }));
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _ = Posix.WriteAll(2, buffer); // dropped when it fails: see the summary

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
