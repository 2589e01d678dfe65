using System.Globalization;
using System.Text;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// Whether a descriptor the holder pass found is only a copy of the cleaner's own lock descriptor
/// in a child of the cleaner's process that has not exec'd yet (a host starting a program on
/// another thread forks with every descriptor; the close-on-exec lock goes at the exec). Each
/// condition must be shown, else it is a hold:
/// - the lock descriptor closes on exec;
/// - the task's parent is this process, and its executable is still this process's;
/// - every descriptor to the file in every table of the task is, by the kernel's word (kcmp), the
///   lock's very open file, not an open of its own (the pass records one descriptor per file).
/// A process that took the copy by pidfd_getfd or over a socket is no child running this
/// program, so its copy is a hold.
/// </summary>
internal static class OwnDescriptorCopy
{
    private static readonly Lazy<FileKey?> SelfExecutable = new(() => Executable("/proc/self/exe"));

    public static bool Is(Holding h, FileKey file, int lockFd, string procRoot)
    {
        if (h.Via != AttachmentKind.Fd || h.Fd < 0 || !FileTables.ClosesOnExec(lockFd)) return false;
        int self = Environment.ProcessId;
        string pidDir = $"{procRoot}/{h.Pid.ToString(CultureInfo.InvariantCulture)}";
        if (ParentOf(pidDir) != self) return false;
        if (SelfExecutable.Value is not { } mine || Executable(pidDir + "/exe") != mine) return false;
        return OnlyCopies(pidDir, file, lockFd);
    }

    private static FileKey? Executable(string link) =>
        Posix.Stat(link, followLinks: true, out var st) == 0 ? new FileKey(st.Device, st.Inode) : null;

    /// <summary>The parent pid from /proc/PID/stat (the field after the state, after the name's last ')'), or -1.</summary>
    private static int ParentOf(string pidDir)
    {
        byte[] buffer = new byte[512];
        if (Posix.ReadFile(pidDir + "/stat", ref buffer, out int length) != 0) return -1;
        var text = Encoding.ASCII.GetString(buffer, 0, length);
        int close = text.LastIndexOf(')');
        if (close < 0) return -1;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) ? ppid : -1;
    }

    /// <summary>Every task's table: each descriptor to <paramref name="file"/> is the lock's open file; false if any is not, or a table cannot be read.</summary>
    private static bool OnlyCopies(string pidDir, FileKey file, int lockFd)
    {
        var tids = new List<int>();
        int tdir = Posix.OpenDirectory(pidDir + "/task");
        if (tdir < 0) return false;
        try
        {
            if (Posix.ReadDirectory(tdir, (name, _, _) =>
                {
                    if (int.TryParse(Encoding.ASCII.GetString(name[..^1]), NumberStyles.None, CultureInfo.InvariantCulture, out int tid)) tids.Add(tid);
                }) != 0) return false;
        }
        finally
        {
            Posix.Close(tdir);
        }
        if (tids.Count == 0) return false;
        foreach (int tid in tids)
        {
            int dfd = Posix.OpenDirectory($"{pidDir}/task/{tid.ToString(CultureInfo.InvariantCulture)}/fd");
            if (dfd < 0) return false;
            bool onlyCopies = true;
            try
            {
                int e = Posix.ReadDirectory(dfd, (name, _, _) =>
                {
                    if (!onlyCopies) return;
                    if (Posix.StatAt(dfd, name, out var st, followLinks: true) != 0) return; // closed meanwhile
                    if (st.Device != file.Device || st.Inode != file.Inode) return;
                    onlyCopies = int.TryParse(Encoding.ASCII.GetString(name[..^1]), NumberStyles.None, CultureInfo.InvariantCulture, out int fd)
                        && FileTables.SameOpenFile(lockFd, tid, fd);
                });
                if (e != 0) return false;
            }
            finally
            {
                Posix.Close(dfd);
            }
            if (!onlyCopies) return false;
        }
        return true;
    }
}
