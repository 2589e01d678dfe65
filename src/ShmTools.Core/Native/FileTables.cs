using System.Runtime.InteropServices;

namespace ShmTools.Core.Native;

/// <summary>
/// Whether two tasks share one table of open descriptors (kcmp KCMP_FILES). A thread that called
/// unshare(CLONE_FILES) has its own table, seen only under /proc/PID/task/TID/fd.
/// </summary>
public static partial class FileTables
{
    private const int KCMP_FILES = 2;
    private const int ENOSYS = 38;

    private static readonly long KcmpNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 312,
        Architecture.Arm64 => 272,
        _ => -1,
    };

    /// <summary>0 when the two tasks share a descriptor table, 1 when they do not, or -errno when the kernel cannot say.</summary>
    public static int Compare(int pid, int tid)
    {
        if (KcmpNumber < 0) return -ENOSYS;
        long r = Syscall(KcmpNumber, pid, tid, KCMP_FILES, 0, 0);
        if (r < 0) return -Marshal.GetLastPInvokeError();
        return r == 0 ? 0 : 1;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long pid1, long pid2, long type, long idx1, long idx2);
}
