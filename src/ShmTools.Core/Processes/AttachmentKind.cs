namespace ShmTools.Core.Processes;

/// <summary>How a process holds a segment.</summary>
public enum AttachmentKind
{
    /// <summary>The segment is mapped into the process (/proc/PID/maps).</summary>
    Map,
    /// <summary>The process has an open file descriptor on it (/proc/PID/fd).</summary>
    Fd,
    /// <summary>A System V attachment (shmat).</summary>
    SysV,
}
