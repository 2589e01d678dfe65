using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ShmTools.Core.Cleanup;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cleanup;

/// <summary>The audit log: write-ahead, whole lines only, and never steered into another file.</summary>
public sealed class AuditLogTests
{
    private static string TempPath(string what) => Path.Combine(Path.GetTempPath(), Unique.Name(what));

    private static List<JsonElement> Lines(string log) =>
        File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void Every_decision_is_appended_and_each_removal_is_announced_durably_before_it_happens()
    {
        long tag = DeadSegments.Tag();
        string stale = DeadSegments.Create(tag);
        using var live = HeldSegment.Start("file", "/dev/shm", $"torch_live_{tag}_0", "4096", "map");
        string log = TempPath("audit") + ".jsonl";
        File.WriteAllText(log, "{\"earlier\":true}\n");
        try
        {
            using (var cleaner = new StaleSegmentCleaner(DeadSegments.Options(log)))
                cleaner.Run(CleanupInput.Of(DeadSegments.Scan($"torch_*_{tag}_0")), CleanupApprover.ApproveAll);
            var lines = Lines(log);
            Assert.Equal(4, lines.Count);
            Assert.True(lines[0].GetProperty("earlier").GetBoolean());
            var kept = lines[1];
            Assert.Equal(("outcome", "kept", "Live"), (kept.GetProperty("phase").GetString(), kept.GetProperty("action").GetString(), kept.GetProperty("verdict").GetString()));
            var intent = lines[2];
            Assert.Equal(("intent", "remove", stale), (intent.GetProperty("phase").GetString(), intent.GetProperty("action").GetString(), intent.GetProperty("name").GetString()));
            Assert.StartsWith(QuarantineNames.Prefix, intent.GetProperty("quarantine").GetString());
            var removed = lines[3];
            Assert.Equal(("outcome", "removed", stale), (removed.GetProperty("phase").GetString(), removed.GetProperty("action").GetString(), removed.GetProperty("name").GetString()));
            Assert.All(lines.Skip(1), e => Assert.Equal(0u, e.GetProperty("euid").GetUInt32()));
        }
        finally
        {
            File.Delete(log);
            TestHost.Remove(stale);
        }
    }

    [Fact]
    public void A_symbolic_link_a_FIFO_and_a_hard_link_are_refused_and_their_targets_untouched()
    {
        string precious = TempPath("precious");
        File.WriteAllText(precious, "precious\n");
        string link = TempPath("log-link"), fifo = TempPath("log-fifo"), hard = TempPath("log-hard"), dangling = TempPath("log-dangling");
        File.CreateSymbolicLink(link, precious);
        File.CreateSymbolicLink(dangling, TempPath("would-be-created"));
        Assert.Equal(0, mkfifo(fifo, Convert.ToUInt32("600", 8)));
        Assert.Equal(0, HardLink(precious, hard));
        try
        {
            foreach (var (log, says) in new[] { (link, "symbolic links"), (dangling, "symbolic links"), (fifo, "not a regular file"), (hard, "2 names") })
            {
                var clock = Stopwatch.StartNew();
                var ex = Assert.Throws<AuditLogUnavailableException>(() => new StaleSegmentCleaner(DeadSegments.Options(log)));
                Assert.Contains(log, ex.Message);
                Assert.Contains(says, ex.Message);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "opening the log must not block");
            }
            Assert.Equal("precious\n", File.ReadAllText(precious));
            Assert.False(File.Exists(new FileInfo(dangling).LinkTarget!));
        }
        finally
        {
            foreach (var f in new[] { link, dangling, fifo, hard, precious }) File.Delete(f);
        }
    }

    [RootFact]
    public void A_log_owned_by_another_user_is_refused()
    {
        string log = TempPath("foreign-log");
        File.WriteAllText(log, "");
        Assert.Equal(0, chown(log, 65534, 65534));
        try
        {
            var ex = Assert.Throws<AuditLogUnavailableException>(() => new StaleSegmentCleaner(DeadSegments.Options(log)));
            Assert.Contains("owned by uid 65534", ex.Message);
            Assert.Equal("", File.ReadAllText(log));
        }
        finally
        {
            File.Delete(log);
        }
    }

    /// <summary>
    /// A full disk (a tiny tmpfs): the intent line cannot be written, so nothing is removed, the
    /// run stops with the log's error, and no torn line is left; also when the log's last page
    /// still has a little room (shorter than a line).
    /// </summary>
    [RootFact]
    public void On_a_full_disk_nothing_is_removed_and_no_torn_line_is_left()
    {
        string mount = Directory.CreateTempSubdirectory("shmtools-full-").FullName;
        NativeBuild.Run("mount", "-t", "tmpfs", "-o", "size=64k", "shmtools-full", mount);
        string stale = DeadSegments.Create(DeadSegments.Tag());
        try
        {
            foreach (int slack in new[] { 0, 40 })
            {
                string log = Path.Combine(mount, $"audit-{slack}.jsonl");
                // The log's last page keeps `slack` bytes of room; then the filesystem is filled up.
                File.WriteAllText(log, new string('x', 4095 - slack) + "\n");
                using (var filler = new FileStream(Path.Combine(mount, $"filler-{slack}"), FileMode.Create))
                {
                    try { while (true) { filler.Write(new byte[4096]); filler.Flush(); } }
                    catch (IOException) { }
                }
                string before = File.ReadAllText(log);
                using var cleaner = new StaleSegmentCleaner(DeadSegments.Options(log));
                var ex = Assert.Throws<AuditLogUnavailableException>(() =>
                    cleaner.Run(CleanupInput.Of(DeadSegments.Scan(stale)), CleanupApprover.ApproveAll));
                Assert.Contains("ENOSPC", ex.Message);
                Assert.True(File.Exists("/dev/shm/" + stale), "removed although its intent could not be recorded");
                Assert.Empty(DeadSegments.ParkedOf(stale));
                Assert.Equal(before, File.ReadAllText(log));
                File.Delete(Path.Combine(mount, $"filler-{slack}"));
            }
        }
        finally
        {
            NativeBuild.Run("umount", mount);
            Directory.Delete(mount);
            TestHost.Remove(stale);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink(string from, string to);

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, uint owner, uint group);
}
