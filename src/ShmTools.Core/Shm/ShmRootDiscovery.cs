using System.Globalization;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Text;

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
        var own = TryRoot(OwnDirectory(sources.ShmDirectory), warnings);
        if (own != null && devices.Add(own.Device)) roots.Add(own);
        if (!allNamespaces) return roots;

        string? ownNs = Posix.ReadLink(table.ProcRoot + "/self/ns/mnt");
        var seenNs = new HashSet<string>(StringComparer.Ordinal);
        if (ownNs != null) seenNs.Add(ownNs);
        var unlisted = new List<string>();
        foreach (int pid in table.ListPids())
        {
            string pidDir = table.ProcRoot + "/" + pid.ToString(CultureInfo.InvariantCulture);
            string? ns = Posix.ReadLink(pidDir + "/ns/mnt");
            if (ns == null || seenNs.Contains(ns)) continue;
            var root = TryNamespaceRoot(pidDir, ns, pid, out string? problem);
            // A process that exited (or left its namespace) while it was looked at tells nothing of
            // its namespace, whose mounts it may have taken down with it: another process of that
            // namespace, if any, is asked instead.
            if (root == null && Posix.ReadLink(pidDir + "/ns/mnt") != ns) continue;
            seenNs.Add(ns);
            if (problem != null) unlisted.Add(problem);
            if (root != null && devices.Add(root.Device)) roots.Add(root);
        }
        // Bounded: any user may make namespaces, as many as it likes.
        warnings.AddRange(unlisted.Take(NamespaceProblemsNamed));
        if (unlisted.Count > NamespaceProblemsNamed)
            warnings.Add($"{unlisted.Count - NamespaceProblemsNamed} more mount namespaces have a /dev/shm that could not be listed; their POSIX segments are not listed.");
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

    /// <summary>How many other namespaces whose /dev/shm could not be listed are named, one warning each; the rest are counted.</summary>
    internal const int NamespaceProblemsNamed = 5;

    /// <summary>
    /// Another mount namespace's /dev/shm, reached through /proc/PID/root and opened with no link
    /// followed on the way: a link there is that namespace's, and resolving it here would read
    /// this host's files. <paramref name="problem"/> is why it cannot be listed (null when it is,
    /// or when the namespace has none: nothing to say). Named by the namespace, not the pid,
    /// so the same problem reads the same from scan to scan.
    /// </summary>
    private static ShmRoot? TryNamespaceRoot(string pidDir, string ns, int pid, out string? problem)
    {
        string directory = pidDir + "/root/dev/shm";
        string where = $"/dev/shm of mount namespace {TerminalText.Name(ns)}";
        const string NotListed = "; its POSIX segments are not listed.";
        problem = null;
        int fd = Posix.OpenDirectoryNoLinks(directory);
        if (fd < 0)
        {
            int err = -fd;
            if (!Posix.IsGone(err))
                problem = err == Posix.ELOOP ? $"{where}: its /dev or /dev/shm is a symbolic link, never followed into another namespace{NotListed}"
                    : err == Posix.ENOTDIR ? $"{where}: its /dev or /dev/shm is not a directory{NotListed}"
                    : $"{where}: {Errors.Describe(err)}{NotListed}";
            return null;
        }
        try
        {
            if (Posix.StatFd(fd, out var st) != 0) return null;
            if (Posix.FileSystemTypeFd(fd, out long magic) == 0 && magic != Posix.TmpfsMagic)
            {
                problem = $"{where}: not a tmpfs (filesystem magic 0x{magic:x}), so its files are not shared memory{NotListed}";
                return null;
            }
            return new ShmRoot(directory, st.Device, ns, pid, Tmpfs: true);
        }
        finally
        {
            Posix.Close(fd);
        }
    }

    /// <summary>This host's own shm directory (resolved already), or null with the reason among <paramref name="warnings"/>.</summary>
    private static ShmRoot? TryRoot(string directory, List<string> warnings)
    {
        int err = Posix.Stat(directory, followLinks: false, out var st);
        if (err != 0)
        {
            warnings.Add($"{directory}: {Errors.Describe(err)}; no POSIX segments listed from it.");
            return null;
        }
        if (st.Type != UnixFileType.Directory)
        {
            warnings.Add($"{directory}: {(st.Type == UnixFileType.SymbolicLink ? LinkProblem(directory) : "not a directory")}; no POSIX segments listed from it.");
            return null;
        }
        // The checks above read the path; what is listed is what an open with no link on the way
        // reaches (another namespace's /dev made a link to a host directory is refused here).
        int fd = Posix.OpenDirectoryNoLinks(directory);
        if (fd < 0)
        {
            warnings.Add(-fd == Posix.ELOOP
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
                warnings.Add($"{directory}: not a tmpfs (filesystem magic 0x{magic:x}); its files are listed, but they are not shared memory in the kernel's sense, and files held elsewhere on that filesystem are not reported.");
                tmpfs = false;
            }
            return new ShmRoot(directory, st.Device, null, null, tmpfs);
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
