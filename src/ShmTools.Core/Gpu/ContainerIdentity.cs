namespace ShmTools.Core.Gpu;

/// <summary>
/// The container and Kubernetes pod a process belongs to, from its /proc/PID/cgroup: the last
/// path component minus ".scope" and the runtime prefix is the container id (64 hex digits); a
/// "pod..." component is the pod uid (systemd spells its dashes as underscores).
/// </summary>
public readonly record struct ContainerIdentity(string? ContainerId, string? PodUid)
{
    public static ContainerIdentity FromCgroup(string cgroupFile)
    {
        string? container = null, pod = null;
        foreach (var line in cgroupFile.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':', line.IndexOf(':') + 1);
            if (colon < 0) continue;
            var parts = line[(colon + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            foreach (var part in parts)
            {
                var p = part.EndsWith(".slice", StringComparison.Ordinal) ? part[..^6] : part;
                int at = p.LastIndexOf("pod", StringComparison.Ordinal);
                if (at >= 0 && (at == 0 || p[at - 1] == '-'))
                {
                    var uid = p[(at + 3)..].Replace('_', '-');
                    if (uid.Length >= 32) pod ??= uid;
                }
            }
            if (parts.Length == 0) continue;
            var last = parts[^1];
            if (last.EndsWith(".scope", StringComparison.Ordinal)) last = last[..^6];
            int dash = last.LastIndexOf('-');
            if (dash >= 0) last = last[(dash + 1)..];
            if (last.Length == 64 && last.All(Uri.IsHexDigit)) container ??= last;
        }
        return new ContainerIdentity(container, pod);
    }
}
