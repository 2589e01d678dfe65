using System.Globalization;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Processes;

/// <summary>
/// One process's hold on one file or SysV segment, as found in a single /proc pass.
/// <see cref="Path"/> is kept only where it is needed later (an unlinked file's old name);
/// for mappings, <see cref="MapStart"/>..<see cref="MapEnd"/> name the first mapped range, and
/// for descriptors <see cref="Fd"/> the descriptor, so the held object can still be stat'ed.
/// </summary>
public sealed record Holding(int Pid, AttachmentKind Via, long MappedBytes, long Extent, string? Path, ulong MapStart = 0, ulong MapEnd = 0, int Fd = -1)
{
    /// <summary>The thread whose own descriptor table holds <see cref="Fd"/> (unshare(CLONE_FILES)), or null for the process's table.</summary>
    public int? Tid { get; init; }

    /// <summary>A /proc path that reaches the held file itself (map_files needs privilege; fd links do not).</summary>
    public string? StatPath(string procRoot) => Via switch
    {
        AttachmentKind.Fd when Tid is { } tid => $"{procRoot}/{Pid.ToString(CultureInfo.InvariantCulture)}/task/{tid.ToString(CultureInfo.InvariantCulture)}/fd/{Fd.ToString(CultureInfo.InvariantCulture)}",
        AttachmentKind.Fd => $"{procRoot}/{Pid.ToString(CultureInfo.InvariantCulture)}/fd/{Fd.ToString(CultureInfo.InvariantCulture)}",
        AttachmentKind.Map => $"{procRoot}/{Pid.ToString(CultureInfo.InvariantCulture)}/map_files/{MapStart:x}-{MapEnd:x}",
        _ => null,
    };
}
