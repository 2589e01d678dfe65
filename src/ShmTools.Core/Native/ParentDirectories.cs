namespace ShmTools.Core.Native;

/// <summary>
/// The directories of a run of file paths, each opened once: probing a thousand segments of one
/// /dev/shm opens that directory once, not a thousand times. Files are still opened relative to
/// the handle and checked against what was listed, so a directory replaced meanwhile changes
/// nothing that is judged. Failures are not kept: the next path asks again.
/// </summary>
public sealed class ParentDirectories : IDisposable
{
    private readonly Dictionary<string, DirectoryHandle> _open = new(StringComparer.Ordinal);

    /// <summary>The open directory <paramref name="filePath"/> lives in (owned by this cache: not to be disposed); <see cref="IOException"/> when it cannot be opened.</summary>
    public DirectoryHandle Of(string filePath)
    {
        int slash = filePath.LastIndexOf('/');
        string dir = slash > 0 ? filePath[..slash] : "/";
        if (_open.TryGetValue(dir, out var handle)) return handle;
        handle = DirectoryHandle.Open(dir);
        _open[dir] = handle;
        return handle;
    }

    public void Dispose()
    {
        foreach (var h in _open.Values) h.Dispose();
        _open.Clear();
    }
}
