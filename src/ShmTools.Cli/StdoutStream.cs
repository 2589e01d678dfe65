using ShmTools.Core.Native;

namespace ShmTools.Cli;

/// <summary>Standard output could not be written (a full disk, a closed descriptor): said in one line, exit code 3.</summary>
public sealed class OutputWriteException(string message, Exception inner) : IOException(message, inner);

/// <summary>
/// The reader of standard output went away (<c>shmtools list | head</c>): the rest would go
/// nowhere, so the command stops making it and exits quietly with 0, as the reader chose.
/// </summary>
public sealed class ReaderGoneException() : IOException("the reader of standard output has gone");

/// <summary>
/// Standard output for the large writers (tables, JSON), written to descriptor 1 itself: a failed
/// write becomes an <see cref="OutputWriteException"/> that names what failed, instead of a stack
/// trace, and a closed pipe a <see cref="ReaderGoneException"/> (the runtime's console stream
/// would drop the bytes without a word and let the command make all of its output for nobody).
/// </summary>
public sealed class StdoutStream : WriteOnlyStream
{
    private readonly int _descriptor;
    private readonly Stream? _inner;

    /// <summary>Standard output, or (on Linux) another descriptor open for writing, which stays open.</summary>
    public StdoutStream(int descriptor = 1)
    {
        _descriptor = descriptor;
        _inner = OperatingSystem.IsLinux() ? null : Console.OpenStandardOutput();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_inner == null)
        {
            int errno = Posix.WriteAll(_descriptor, buffer);
            if (errno == 0) return;
            if (Posix.IsBrokenPipe(errno)) throw new ReaderGoneException();
            throw new OutputWriteException($"cannot write to standard output: {Errors.Describe(errno)}; the output is incomplete.", new IOException(Errors.Describe(errno)));
        }
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
        if (_inner == null) return; // every write went straight to the descriptor
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

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner?.Dispose();
        base.Dispose(disposing);
    }
}
