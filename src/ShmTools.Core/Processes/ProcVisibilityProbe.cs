using System.Globalization;
using System.Text;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>
/// Finds the limits of a proc filesystem for the running process (<see cref="ProcVisibility"/>),
/// from what it says about this process: its pid namespace, the proc mount's options, and the
/// caller's credentials.
/// </summary>
internal static class ProcVisibilityProbe
{
    /// <summary>The inode of the initial pid namespace, fixed by the kernel (PROC_PID_INIT_INO).</summary>
    internal const ulong InitialPidNamespaceInode = 0xEFFFFFFC;

    /// <summary>CAP_SYS_PTRACE: ptrace access to every process, so hidepid hides nothing.</summary>
    private const int CapSysPtrace = 19;

    public static ProcVisibility Detect(string procRoot)
    {
        procRoot = procRoot.TrimEnd('/');
        if (procRoot.Length == 0) procRoot = "/";
        string? status = Read(procRoot + "/self/status");
        string? mountInfo = Read(procRoot + "/self/mountinfo");
        return new ProcVisibility
        {
            ProcRoot = procRoot,
            PidNamespace = PidNamespaceShown(
                Posix.ReadLink(procRoot + "/self/ns/pid"),
                status,
                () => Posix.ReadLink(procRoot + "/1/ns/pid")),
            HidePid = status == null || mountInfo == null ? null : HiddenFromCaller(ProcMountOptions(mountInfo, procRoot), status),
        };
    }

    /// <summary>
    /// The pid namespace /proc is limited to, or null when /proc shows the initial one (or it
    /// cannot be told). The link names this process's own namespace. A /proc mounted in that
    /// namespace (what a container gets) shows only it; the NSpid line of its status has one
    /// field per namespace from the one /proc belongs to down to this process's, so more than one
    /// means /proc belongs to an ancestor, which is the initial one when pid 1 of that /proc is in
    /// it (readable only with ptrace access to pid 1; otherwise the limit stands).
    /// </summary>
    internal static string? PidNamespaceShown(string? ownLink, string? status, Func<string?> pidOneLink)
    {
        if (NamespaceInode(ownLink) is not { } own || own == InitialPidNamespaceInode) return null;
        if (status != null && Field(status, "NSpid:") is { } nspid
            && nspid.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).Length > 1
            && NamespaceInode(pidOneLink()) == InitialPidNamespaceInode)
            return null;
        return ownLink;
    }

    /// <summary>The inode in a namespace link's text, <c>pid:[4026531836]</c>.</summary>
    internal static ulong? NamespaceInode(string? link)
    {
        if (link == null) return null;
        int open = link.IndexOf('['), close = link.LastIndexOf(']');
        return open > 0 && close > open + 1 && ulong.TryParse(link.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ino)
            ? ino : null;
    }

    /// <summary>
    /// The super options of the proc filesystem mounted on <paramref name="mountPoint"/> (the
    /// last such line: the mount on top), or null when none is.
    /// </summary>
    internal static string? ProcMountOptions(string mountInfo, string mountPoint)
    {
        string? found = null;
        foreach (var line in mountInfo.Split('\n'))
        {
            var f = line.Split(' ');
            int dash = Array.IndexOf(f, "-");
            if (f.Length < 5 || dash < 6 || dash + 3 >= f.Length) continue;
            if (Unescape(f[4]) != mountPoint || f[dash + 1] != "proc") continue;
            found = f[dash + 3];
        }
        return found;
    }

    /// <summary>
    /// The hidepid mode (as a word) when it hides processes from the caller the status describes;
    /// null when the mount hides nothing from it. Root with CAP_SYS_PTRACE sees every process; for
    /// noaccess and invisible, so does a member of the group the <c>gid=</c> option names (the
    /// kernel checks the filesystem gid and the supplementary groups).
    /// </summary>
    internal static string? HiddenFromCaller(string? superOptions, string status)
    {
        if (superOptions == null) return null;
        string? mode = null;
        uint? gid = null;
        foreach (var o in superOptions.Split(','))
        {
            if (o.StartsWith("hidepid=", StringComparison.Ordinal))
                mode = o[8..] switch
                {
                    "1" or "noaccess" => "noaccess",
                    "2" or "invisible" => "invisible",
                    "4" or "ptraceable" => "ptraceable",
                    _ => null, // 0, off
                };
            else if (o.StartsWith("gid=", StringComparison.Ordinal) && uint.TryParse(o.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var g))
                gid = g;
        }
        if (mode == null) return null;
        if (HasCapability(status, CapSysPtrace)) return null;
        if (mode != "ptraceable" && gid is { } group && InGroup(status, group)) return null;
        return mode;
    }

    private static bool HasCapability(string status, int capability) =>
        Field(status, "CapEff:") is { } hex
        && ulong.TryParse(hex.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps)
        && (caps & (1UL << capability)) != 0;

    private static bool InGroup(string status, uint gid)
    {
        var ids = (Field(status, "Gid:") ?? "").Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length >= 4 && ids[3] == gid.ToString(CultureInfo.InvariantCulture)) return true; // the filesystem gid
        return (Field(status, "Groups:") ?? "").Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)
            .Contains(gid.ToString(CultureInfo.InvariantCulture));
    }

    private static string? Field(string status, string key)
    {
        foreach (var line in status.Split('\n'))
            if (line.StartsWith(key, StringComparison.Ordinal)) return line[key.Length..];
        return null;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash in paths as octal escapes.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var sb = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                sb.Append((char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
                i += 3;
            }
            else sb.Append(field[i]);
        }
        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static string? Read(string path)
    {
        byte[] buffer = new byte[16 * 1024];
        return Posix.ReadFile(path, ref buffer, out int length) == 0 ? Encoding.UTF8.GetString(buffer, 0, length) : null;
    }
}
