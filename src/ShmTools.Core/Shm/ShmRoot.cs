using ShmTools.Core.Native;

namespace ShmTools.Core.Shm;

/// <summary>
/// A /dev/shm tmpfs this host can reach: its own, or another mount namespace's through
/// /proc/PID/root. <see cref="Namespace"/> is null for this process's own. <see cref="Tmpfs"/> is
/// false for a /dev/shm that is a plain directory (a container without its own tmpfs): its files
/// are listed, but its device is a whole filesystem's, so a file held there that the listing did
/// not show is not taken for a segment.
/// </summary>
public sealed record ShmRoot(string Directory, DeviceId Device, string? Namespace, int? ViaPid, bool Tmpfs = true);
