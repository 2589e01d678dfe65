using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using Xunit;

namespace ShmTools.Tests.Processes;

public class ProcessScannerTests
{
    [Fact]
    public void A_proc_root_that_cannot_be_listed_fails_the_pass_after_the_other_work_is_done()
    {
        string missing = Path.Combine(Path.GetTempPath(), "shmtools-no-proc-" + Guid.NewGuid().ToString("N"));
        var scanner = new ProcessScanner(new ProcessTable(missing), new HashSet<DeviceId>()) { Parallelism = 2 };
        int ran = 0;
        var ex = Assert.Throws<IOException>(() => scanner.Scan(alongside: () => { Thread.Sleep(50); Interlocked.Increment(ref ran); }));
        Assert.Contains(missing, ex.Message);
        Assert.Equal(1, Volatile.Read(ref ran)); // the other worker finished its work before the failure came back
    }

    [Fact]
    public void The_pass_lists_proc_itself_and_finds_this_process_holding_its_own_mapping()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string path = Path.Combine(dir, "shmtools-scanner-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite);
            file.SetLength(4096);
            using var map = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(file, null, 4096, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.ReadWrite, System.IO.HandleInheritability.None, leaveOpen: true);
            using var view = map.CreateViewAccessor();
            Assert.Equal(0, Posix.Stat(path, followLinks: false, out var st));
            bool listed = false;
            var holdings = new ProcessScanner(new ProcessTable(), new HashSet<DeviceId> { st.Device }) { Parallelism = 2 }
                .Scan(alongside: () => listed = true);
            Assert.True(listed);
            var holders = holdings.HoldersOf(new FileKey(st.Device, st.Inode));
            Assert.Contains(holders, h => h.Pid == Environment.ProcessId && h.Via == AttachmentKind.Map);
            Assert.Contains(holders, h => h.Pid == Environment.ProcessId && h.Via == AttachmentKind.Fd);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
