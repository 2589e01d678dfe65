using ShmTools.Core.Native;

namespace ShmTools.Core.Shm;

/// <summary>
/// A /dev/shm tmpfs this host can reach: its own, or another mount namespace's through
/// /proc/PID/root. <see cref="Namespace"/> is null for this process's own.
/// </summary>
public sealed record ShmRoot(string Directory, DeviceId Device, string? Namespace, int? ViaPid);
