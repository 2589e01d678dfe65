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
    /// Why no file can ever be written at <paramref name="path"/> (its directory is missing or is
    /// not writable by this user, or the path is a directory), or null when it may be: asked
    /// before the work, so a bad path is a bad argument and no work is thrown away.
    /// </summary>
    public static string? Problem(string path)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(directory)) return $"{full}: the directory {directory} does not exist.";
        if (Directory.Exists(full)) return $"{full}: is a directory.";
        if (!Native.Posix.CanWrite(directory)) return $"{full}: the directory {directory} is not writable by this user.";
        return null;
    }

    public static void Write(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? "/";
        if (Problem(path) is { } problem) throw new IOException(problem);
        string temp = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
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
