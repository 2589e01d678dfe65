using ShmTools.Core.Native;

namespace ShmTools.Core.Shm;

/// <summary>Something in a /dev/shm that is not a regular file (a symlink, FIFO, directory...): never followed, never a segment.</summary>
public sealed record IgnoredEntry(string Path, UnixFileType Type);
