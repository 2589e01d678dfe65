using ShmTools.Core.Text;

namespace ShmTools.Core.Shm;

/// <summary>
/// One shared-memory segment and who holds it. The same object is what PowerShell formats and
/// what <c>shmtools list --json</c> writes.
/// </summary>
public sealed record ShmSegment
{
    /// <summary>The name as text. A name that is not valid UTF-8 shows U+FFFD here; its bytes are in <see cref="RawName"/>.</summary>
    public required string Name { get; init; }

    /// <summary>The directory entry's exact bytes, kept only when they are not valid UTF-8 (then probing and removal use them).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[]? RawName { get; init; }

    /// <summary>
    /// The name as people are shown it: control characters, bidirectional overrides and invalid
    /// UTF-8 bytes escaped (<c>\r</c>, <c>\x1b</c>, <c>\xff</c>), backslashes doubled, so no name can
    /// forge a line on a terminal and two names never look alike.
    /// </summary>
    public string DisplayName => RawName != null ? TerminalText.Name(RawName) : TerminalText.Name(Name);

    /// <summary>
    /// <see cref="Path"/> as people are shown it: its name part as <see cref="DisplayName"/>; for a
    /// System V segment with its shmid, since every IPC_PRIVATE one maps as /SYSV00000000.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayPath
    {
        get
        {
            if (Kind == SegmentKind.SysV)
                return Path + (SysVId is { } id ? " (shmid " + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : "");
            int nameAt = Path.Length - Name.Length;
            if (nameAt <= 0 || Path[nameAt - 1] != '/' || !Path.AsSpan(nameAt).SequenceEqual(Name)) return TerminalText.Name(Path);
            // The common case, nothing to escape in either part, is the path itself (no new string).
            string name = DisplayName;
            if (ReferenceEquals(name, Name) && !TerminalText.NeedsEscape(Path.AsSpan(0, nameAt))) return Path;
            return TerminalText.Safe(Path[..nameAt]) + name;
        }
    }

    /// <summary>The directory entry to open or remove, NUL-terminated: the raw bytes when there are any.</summary>
    public byte[] EntryName()
    {
        if (RawName != null) return [.. RawName, 0];
        string name = Path[(Path.LastIndexOf('/') + 1)..];
        return System.Text.Encoding.UTF8.GetBytes(name + "\0");
    }

    public required SegmentKind Kind { get; init; }
    /// <summary>Where this host reaches it (for another namespace: through /proc/PID/root); a SysV segment's is /SYSV + key.</summary>
    public required string Path { get; init; }
    /// <summary>The tmpfs device as major:minor; null for SysV segments (they live on the kernel's internal mount).</summary>
    public string? Device { get; init; }
    /// <summary>The inode; for SysV segments, the shmid.</summary>
    public required ulong Inode { get; init; }
    /// <summary>Logical size (st_size, or the SysV segment size).</summary>
    public required long SizeBytes { get; init; }
    /// <summary>Memory actually used (tmpfs blocks, or SysV rss + swap).</summary>
    public required long ResidentBytes { get; init; }
    public string? Owner { get; init; }
    public uint? OwnerUid { get; init; }
    /// <summary>Permission bits as four octal digits, e.g. 0600.</summary>
    public string? Mode { get; init; }
    public DateTimeOffset? Modified { get; init; }
    public DateTimeOffset? Accessed { get; init; }
    /// <summary>Birth time, where the filesystem records it (tmpfs does).</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>Status change time (SysV: last shmctl change).</summary>
    public DateTimeOffset? Changed { get; init; }
    /// <summary>The program family that made it, from its name (pytorch, nccl, ...), or null.</summary>
    public string? Producer { get; init; }
    /// <summary>A creator pid read from the name or from SysV cpid; in the creator's pid namespace.</summary>
    public int? OwnerPidHint { get; init; }
    /// <summary>The process name of the creator, when that pid is alive and started before the segment was made.</summary>
    public string? Creator { get; init; }
    /// <summary>The mount namespace whose /dev/shm holds it, when it is not this process's own.</summary>
    public string? Namespace { get; init; }
    public int? SysVKey { get; init; }
    /// <summary>The key as ipcs shows it (0x and eight hex digits).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? SysVKeyHex => SysVKey is { } k ? SysVNames.KeyText(k) : null;
    public int? SysVId { get; init; }
    public int? CreatorPid { get; init; }
    public int? LastPid { get; init; }
    /// <summary>SysV nattch: the kernel's own count of attachments.</summary>
    public int? AttachCount { get; init; }
    public required IReadOnlyList<Attachment> Attachments { get; init; }
    /// <summary>False when the scan did not see every process (some could not be read, or /proc hides some), so holders may be missing.</summary>
    public bool AttachmentsComplete => Visibility.IsComplete;

    /// <summary>What the scan that found this segment could not see: the scan's own fact, shared by all its segments.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ScanVisibility Visibility { get; init; } = ScanVisibility.Complete;

    /// <summary>How many distinct processes hold it (a process may map it and hold a descriptor too).</summary>
    public int HolderCount
    {
        get
        {
            var list = Attachments;
            if (list.Count > 16) return list.Select(a => a.Pid).Distinct().Count();
            int n = 0;
            for (int i = 0; i < list.Count; i++)
            {
                int j = 0;
                while (j < i && list[j].Pid != list[i].Pid) j++;
                if (j == i) n++;
            }
            return n;
        }
    }

    /// <summary>How it reads where it is nested (e.g. in a liveness result): "/dev/shm/x (Posix, 64 KiB)".</summary>
    public override string ToString() => $"{Path} ({Kind}, {Text.ByteSize.Format(SizeBytes)})";
}
