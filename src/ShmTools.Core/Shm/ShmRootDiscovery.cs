using System.Globalization;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Core.Shm;

/// <summary>
/// Finds the /dev/shm tmpfs mounts this host can reach: its own and, on request, one per other
/// mount namespace through /proc/PID/root (the first process found in each namespace),
/// de-duplicated by device so a /dev/shm shared with the host is listed once.
/// </summary>
public static class ShmRootDiscovery
{
    public static List<ShmRoot> Discover(InventorySources sources, ProcessTable table, bool allNamespaces, List<string> warnings)
    {
        var roots = new List<ShmRoot>();
        var devices = new HashSet<DeviceId>();
        var own = TryRoot(OwnDirectory(sources.ShmDirectory), null, null, warnings);
        if (own != null && devices.Add(own.Device)) roots.Add(own);
        if (!allNamespaces) return roots;

        string? ownNs = Posix.ReadLink(table.ProcRoot + "/self/ns/mnt");
        var seenNs = new HashSet<string>(StringComparer.Ordinal);
        if (ownNs != null) seenNs.Add(ownNs);
        foreach (int pid in table.ListPids())
        {
            string pidDir = table.ProcRoot + "/" + pid.ToString(CultureInfo.InvariantCulture);
            string? ns = Posix.ReadLink(pidDir + "/ns/mnt");
            if (ns == null || !seenNs.Add(ns)) continue;
            // Another namespace with no /dev/shm (or whose process is gone) is nothing to say; one
            // whose /dev/shm cannot be listed (a link, no tmpfs, refused) has segments not listed.
            var root = TryRoot(pidDir + "/root/dev/shm", ns, pid, warnings);
            if (root != null && devices.Add(root.Device)) roots.Add(root);
        }
        return roots;
    }

    /// <summary>
    /// This host's shm directory as the directory it is: some systems make /dev/shm a symbolic
    /// link (to /run/shm), or a link to one with ".." in it. This host's root made those links, so
    /// they are resolved here, as the kernel resolves them (realpath), and only here: listing,
    /// removal and the turns of checks and cleanups all use the directory that names, and every
    /// later open refuses a link anywhere on the way. Another namespace's /dev/shm is never
    /// resolved like this: its links would be read against this host's root.
    /// </summary>
    internal static string OwnDirectory(string directory) =>
        Posix.RealPath(directory, out _) ?? directory; // a loop or a dangling link: reported by TryRoot

    /// <summary>Why a link at this host's shm directory leads to no directory: where it points, and what stopped the way there.</summary>
    private static string LinkProblem(string link)
    {
        string to = $"a symbolic link to {Posix.ReadLink(link)}";
        return Posix.RealPath(link, out int errno) is { } resolved
            ? $"{to}, which is {resolved}: not a directory"
            : $"{to} that cannot be followed: {Errors.Describe(errno)}";
    }

    private static ShmRoot? TryRoot(string directory, string? ns, int? pid, List<string>? warnings)
    {
        int err = Posix.Stat(directory, followLinks: false, out var st);
        if (err != 0)
        {
            if (ns != null && Posix.IsGone(err)) return null;
            warnings?.Add($"{directory}: {Errors.Describe(err)}; no POSIX segments listed from it.");
            return null;
        }
        if (st.Type != UnixFileType.Directory)
        {
            // Another namespace's link means a path of that namespace's root: resolving it here would name a host path.
            string what = st.Type != UnixFileType.SymbolicLink ? "not a directory"
                : ns != null ? $"a symbolic link to {Posix.ReadLink(directory)}, not followed into another mount namespace"
                : LinkProblem(directory);
            warnings?.Add($"{directory}: {what}; no POSIX segments listed from it.");
            return null;
        }
        // The checks above read the path; what is listed is what an open with no link on the way
        // reaches (another namespace's /dev made a link to a host directory is refused here).
        int fd = Posix.OpenDirectoryNoLinks(directory);
        if (fd < 0)
        {
            warnings?.Add(-fd == Posix.ELOOP
                ? $"{directory}: a symbolic link on the way there is not followed; no POSIX segments listed from it."
                : $"{directory}: {Errors.Describe(-fd)}; no POSIX segments listed from it.");
            return null;
        }
        try
        {
            if (Posix.StatFd(fd, out st) != 0) return null;
            bool tmpfs = true;
            if (Posix.FileSystemTypeFd(fd, out long magic) == 0 && magic != Posix.TmpfsMagic)
            {
                if (ns != null)
                {
                    warnings?.Add($"{directory} (mount namespace of pid {pid}): not a tmpfs (filesystem magic 0x{magic:x}); not listed, its files are not shared memory in the kernel's sense.");
                    return null;
                }
                warnings?.Add($"{directory}: not a tmpfs (filesystem magic 0x{magic:x}); its files are listed, but they are not shared memory in the kernel's sense, and files held elsewhere on that filesystem are not reported.");
                tmpfs = false;
            }
            return new ShmRoot(directory, st.Device, ns, pid, tmpfs);
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
