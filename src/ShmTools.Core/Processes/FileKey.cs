using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>What identifies a file across paths and mount namespaces: (device, inode).</summary>
public readonly record struct FileKey(DeviceId Device, ulong Inode)
{
    public override string ToString() => $"{Device}/{Inode}";
}
