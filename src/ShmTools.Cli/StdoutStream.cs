namespace ShmTools.Cli;

/// <summary>Standard output could not be written (a full disk, a closed descriptor): said in one line, exit code 3.</summary>
public sealed class OutputWriteException(string message, Exception inner) : IOException(message, inner);

/// <summary>
/// Standard output for the large writers (tables, JSON): a failed write or flush becomes an
/// <see cref="OutputWriteException"/> that names what failed, instead of a stack trace. (A reader
/// that went away is not a failure: the runtime drops what a closed pipe can no longer take.)
/// </summary>
public sealed class StdoutStream : Stream
{
    private readonly Stream _inner = Console.OpenStandardOutput();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            _inner.Write(buffer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(ex);
        }
    }

    public override void Flush()
    {
        try
        {
            _inner.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(ex);
        }
    }

    private static OutputWriteException Failed(Exception ex) =>
        new($"cannot write to standard output: {(ex is UnauthorizedAccessException ? "it is not open for writing" : ex.Message)}; the output is incomplete.", ex);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
