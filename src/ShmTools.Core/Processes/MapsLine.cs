using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>The fields of one /proc/PID/maps line that matter for shared memory.</summary>
public readonly ref struct MapsLine
{
    public MapsLine(ulong start, ulong end, ulong offset, DeviceId device, ulong inode, ReadOnlySpan<byte> path)
    {
        Start = start; End = end; Offset = offset; Device = device; Inode = inode; Path = path;
    }

    public ulong Start { get; }
    public ulong End { get; }
    public ulong Offset { get; }
    public DeviceId Device { get; }
    public ulong Inode { get; }
    /// <summary>The pathname column as raw bytes (may contain spaces; may end in " (deleted)").</summary>
    public ReadOnlySpan<byte> Path { get; }
}
