using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// Whether two tasks share one table of open descriptors (kcmp KCMP_FILES), and whether two
/// descriptors are one open file (kcmp KCMP_FILE). A thread that called unshare(CLONE_FILES) has
/// its own table, seen only under /proc/PID/task/TID/fd.
/// </summary>
public static partial class FileTables
{
    private const int KCMP_FILE = 0;
    private const int KCMP_FILES = 2;

    private static readonly long KcmpNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 312,
        Architecture.Arm64 => 272,
        _ => -1,
    };

    /// <summary>0 when the two tasks share a descriptor table, 1 when they do not, or -errno when the kernel cannot say.</summary>
    public static int Compare(int pid, int tid)
    {
        if (KcmpNumber < 0) return -LibC.ENOSYS;
        long r = Syscall(KcmpNumber, pid, tid, KCMP_FILES, 0, 0);
        if (r < 0) return -Marshal.GetLastPInvokeError();
        return r == 0 ? 0 : 1;
    }

    /// <summary>
    /// True only when the kernel says descriptor <paramref name="fd"/> of this process and
    /// <paramref name="otherFd"/> of task <paramref name="other"/> are one open file description
    /// (a copy made by fork or dup, not a second open); false when they are not or it cannot say.
    /// </summary>
    public static bool SameOpenFile(int fd, int other, int otherFd)
    {
        if (KcmpNumber < 0 || fd < 0 || otherFd < 0) return false;
        return Syscall(KcmpNumber, Environment.ProcessId, other, KCMP_FILE, fd, otherFd) == 0;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long pid1, long pid2, long type, long idx1, long idx2);
}
