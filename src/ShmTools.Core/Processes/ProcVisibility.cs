namespace ShmTools.Core.Processes;

/// <summary>
/// What a pass over /proc cannot see by the way /proc is, beyond single processes that cannot be
/// read: a /proc of a pid namespace of its own (a container, a Kubernetes pod without a shared or
/// host pid namespace) lists no process outside that namespace, and a /proc mounted with hidepid
/// hides other users' processes from a caller that cannot see through it (root with
/// CAP_SYS_PTRACE can; so can members of the group its <c>gid=</c> option names). Holders there are
/// missing from the scan without any error; only the kernel can still say that nobody has a file
/// open (an exclusive lease, see docs/lease-protocol.md).
/// </summary>
public sealed record ProcVisibility
{
    /// <summary>Nothing is hidden by the way /proc is.</summary>
    public static ProcVisibility Complete { get; } = new();

    /// <summary>The proc filesystem this was found for.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>
    /// The pid namespace (<c>pid:[inode]</c>) whose processes are all /proc shows, when that is not
    /// the initial one: processes of other pid namespaces are then not in /proc. Null when /proc
    /// shows the initial pid namespace, or when this could not be told (a proc root that is not a
    /// proc filesystem).
    /// </summary>
    public string? PidNamespace { get; init; }

    /// <summary>
    /// The hidepid mode of /proc (<c>noaccess</c>, <c>invisible</c> or <c>ptraceable</c>) when it
    /// hides other users' processes from this caller; null when /proc hides nothing from it.
    /// </summary>
    public string? HidePid { get; init; }

    /// <summary>True when /proc shows every process on the host to this caller (each may still be unreadable).</summary>
    public bool IsComplete => PidNamespace == null && HidePid == null;

    /// <summary>Each limit, in words: what is not seen and why.</summary>
    public IReadOnlyList<string> Limits
    {
        get
        {
            var list = new List<string>(2);
            if (PidNamespace != null)
                list.Add($"this process runs in a pid namespace of its own ({PidNamespace}), so {ProcRoot} shows no process outside it (other containers, the host)");
            if (HidePid != null)
                list.Add($"{ProcRoot} is mounted with hidepid={HidePid}, so " + HidePid switch
                {
                    "noaccess" => "other users' processes cannot be read",
                    "ptraceable" => "only processes this user may trace are listed",
                    _ => "other users' processes are not listed",
                });
            return list;
        }
    }

    /// <summary>
    /// The warning for a person, in the style of the unreadable-processes one (what is missing,
    /// then how to get a complete view), or null when nothing is hidden.
    /// </summary>
    public string? Warning
    {
        get
        {
            if (IsComplete) return null;
            var parts = new List<string>(2);
            if (PidNamespace != null)
                parts.Add($"Processes outside this pid namespace ({PidNamespace}) are not in {ProcRoot}, so holders there (other containers, the host) may be missing. Run in the host's pid namespace for a complete view.");
            if (HidePid != null)
                parts.Add($"{ProcRoot} is mounted with hidepid={HidePid}, so other users' processes are {(HidePid == "noaccess" ? "unreadable" : "not listed")} and holders may be missing. Run as root (with CAP_SYS_PTRACE) or in the group its gid= option names for a complete view.");
            return string.Join(" ", parts);
        }
    }

    /// <summary>Finds out what the proc filesystem at <paramref name="procRoot"/> hides from this process.</summary>
    public static ProcVisibility Detect(string procRoot = "/proc") => ProcVisibilityProbe.Detect(procRoot);
}
