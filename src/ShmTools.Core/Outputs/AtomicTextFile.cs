using System.Text;

namespace ShmTools.Core.Outputs;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a half, and so that a link
/// planted at the path is replaced, never followed: the text goes to a
/// hidden temporary file in the same directory, is flushed to disk, then renamed over the target.
/// node_exporter's textfile collector reads only *.prom files, so the temporary name ends otherwise.
/// </summary>
public static class AtomicTextFile
{
    /// <summary>
    /// Why no file should be written at <paramref name="path"/>, or null when it may be: asked
    /// before the work, so a bad path is a bad argument and no work is thrown away. Refused: no
    /// name, a directory that is missing or not writable by this user, a directory as the path,
    /// and anything that is not a file (a device, a socket, a link to one, an entry of /dev
    /// itself such as /dev/stdout, or anything under /proc or /sys): renaming over those would destroy a system
    /// entry. A link or FIFO planted at a path elsewhere is replaced, never written through.
    /// </summary>
    public static string? Problem(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "(empty path): no file named.";
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{path}: not a usable path: {ex.Message}";
        }
        string directory = Path.GetDirectoryName(full) ?? "/";
        // /dev itself holds the system's devices and links (/dev/stdout); /proc and /sys are the kernel's.
        if (directory == "/dev" || full == "/proc" || full == "/sys" || full.StartsWith("/proc/", StringComparison.Ordinal) || full.StartsWith("/sys/", StringComparison.Ordinal))
            return $"{full}: is a system entry, not a place for a file (leave the option out to write to standard output).";
        if (!Directory.Exists(directory)) return $"{full}: the directory {directory} does not exist.";
        if (Directory.Exists(full)) return $"{full}: is a directory.";
        if (!Native.Posix.CanWrite(directory)) return $"{full}: the directory {directory} is not writable by this user.";
        if (!OperatingSystem.IsWindows() && Native.Posix.Stat(full, followLinks: false, out var here) == 0)
        {
            var type = here.Type;
            if (type == Native.UnixFileType.SymbolicLink && Native.Posix.Stat(full, followLinks: true, out var target) == 0) type = target.Type;
            if (type is Native.UnixFileType.CharacterDevice or Native.UnixFileType.BlockDevice or Native.UnixFileType.Socket)
                return $"{full}: is a device or socket{(here.Type == Native.UnixFileType.SymbolicLink ? " (through a link)" : "")}, not a file.";
        }
        return null;
    }

    public static void Write(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? "/";
        if (Problem(path) is { } problem) throw new IOException(problem);
        string temp = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Environment.ProcessId + "." + Random.Shared.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + ".tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            using (var stream = new FileStream(temp, options))
            {
                var bytes = new UTF8Encoding(false).GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
