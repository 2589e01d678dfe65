using Microsoft.Win32.SafeHandles;
using ShmTools.Core.Native;
using ShmTools.Core.Text;

namespace ShmTools.Core.Inputs;

/// <summary>
/// Opens a file a user named as input (a model, a graph file, a device profile, a HAMi-core
/// region) so that no such file can hang or swamp its reader: it is opened non-blocking (a FIFO
/// without a writer, a terminal or a device returns at once), judged by fstat of the opened
/// descriptor (so a path swapped after a check cannot slip through), accepted only when it is a
/// regular file, and read no further than the reader's size bound. Every refusal is an
/// <see cref="InputFileException"/> whose message starts with the path and says what is wrong.
/// </summary>
public static class InputFile
{
    /// <summary>Opens <paramref name="path"/> for reading after checking it is a regular file of at most <paramref name="maxBytes"/>.</summary>
    public static FileStream Open(string path, long maxBytes = long.MaxValue)
    {
        if (string.IsNullOrEmpty(path)) throw new InputFileException("(empty path): no file named.");
        if (path.Contains('\0')) throw new InputFileException($"{path.Replace("\0", "\\0")}: a path cannot hold a NUL character.");
        if (!OperatingSystem.IsLinux()) return OpenPortable(path, maxBytes);
        int fd = Posix.OpenForReadingNonBlocking(path);
        if (fd < 0) throw new InputFileException($"{path}: cannot be opened: {Errors.Describe(-fd)}.");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            int err = Posix.StatFd(fd, out var status);
            if (err != 0) throw new InputFileException($"{path}: cannot be examined: {Errors.Describe(err)}.");
            if (status.Type != UnixFileType.RegularFile) throw new InputFileException($"{path}: {Describe(status.Type)}, not a regular file.");
            if (status.SizeBytes > maxBytes) throw TooLarge(path, status.SizeBytes, maxBytes);
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The whole file, refusing one that is (or grows while read) larger than <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = Open(path, maxBytes);
        long expected = stream.Length;
        var buffer = new MemoryStream(capacity: (int)Math.Min(Math.Max(expected, 4096), Math.Min(maxBytes, Array.MaxLength)));
        var chunk = new byte[81920];
        try
        {
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw TooLarge(path, buffer.Length + n, maxBytes);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (Exception ex) when (ex is IOException and not InputFileException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{path}: cannot be read: {ex.Message}", ex);
        }
        return buffer.ToArray();
    }

    /// <summary>The whole file as text (UTF-8 unless a byte-order mark says otherwise), bounded as <see cref="ReadAllBytes"/>.</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(path, maxBytes)), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static FileStream OpenPortable(string path, long maxBytes)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputFileException($"{path}: cannot be opened: {ex.Message}", ex);
        }
        if (stream.Length > maxBytes)
        {
            long length = stream.Length;
            stream.Dispose();
            throw TooLarge(path, length, maxBytes);
        }
        return stream;
    }

    private static string Describe(UnixFileType type) => type switch
    {
        UnixFileType.Fifo => "a FIFO (named pipe)",
        UnixFileType.CharacterDevice => "a character device",
        UnixFileType.BlockDevice => "a block device",
        UnixFileType.Directory => "a directory",
        UnixFileType.Socket => "a socket",
        _ => "a file of unknown type",
    };

    private static InputFileException TooLarge(string path, long size, long maxBytes) =>
        new($"{path}: {ByteSize.Format(size)} ({size} bytes), larger than the {ByteSize.Format(maxBytes)} this kind of file may have.");
}
