using ShmTools.Core.Native;

namespace ShmTools.Cli;

/// <summary>
/// Standard error written to descriptor 2 itself, where a failed write is dropped: a warning or
/// an error line that cannot be shown (stderr closed, on a full disk, open only for reading) must
/// not turn into an abort with a stack trace and exit code 134 and take the command's own exit
/// code with it. The runtime's console stream throws there.
/// </summary>
public sealed class StderrStream : WriteOnlyStream
{
    /// <summary>Makes <see cref="Console.Error"/> this stream (on Linux; elsewhere it stays as it is).</summary>
    public static void Install()
    {
        if (!OperatingSystem.IsLinux()) return;
        Console.SetError(TextWriter.Synchronized(new StreamWriter(new StderrStream(), new System.Text.UTF8Encoding(false), 4096) { AutoFlush = true }));
    }

    public override void Write(ReadOnlySpan<byte> buffer) => _ = Posix.WriteAll(2, buffer); // dropped when it fails: see the summary

    public override void Flush() { }
}
