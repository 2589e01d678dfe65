using System.Globalization;
using System.Text;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Core.Threading;

namespace ShmTools.Core.Processes;

/// <summary>
/// The single pass over /proc: every process's maps and fd table, read once, matched to shared
/// memory by (device, inode). Maps are read by PROCMAP_QUERY where the kernel has it (no text
/// rendered, no path resolved but where one is needed), else as text. Processes that exit
/// mid-scan are skipped; processes that cannot be read are reported, because what they hold is
/// then unknown.
/// </summary>
public sealed class ProcessScanner
{
    private static readonly byte[] SysVPrefix = "/SYSV"u8.ToArray();
    private static readonly byte[] DeletedSuffix = " (deleted)"u8.ToArray();

    private readonly ProcessTable _table;
    private readonly IReadOnlySet<DeviceId> _shmDevices;
    private readonly DeviceId? _onlyDevice; // the one shm device, when there is one (nearly always): compared directly

    public ProcessScanner(ProcessTable table, IReadOnlySet<DeviceId> shmDevices)
    {
        _table = table;
        _shmDevices = shmDevices;
        _onlyDevice = shmDevices.Count == 1 ? shmDevices.First() : null;
    }

    private bool IsShm(DeviceId device) => _onlyDevice is { } only ? device == only : _shmDevices.Contains(device);

    /// <summary>The maps lines of shared memory: SysV attachments (by their /SYSV name) and mappings of files on a shm tmpfs.</summary>
    private readonly struct ShmLines(ProcessScanner scanner) : IMapsLineFilter
    {
        public bool Wants(DeviceId device, ReadOnlySpan<byte> path) => scanner.IsShm(device) || path.StartsWith(SysVPrefix);
    }

    /// <summary>Expected number of held files (the last scan's), so the holdings are sized once.</summary>
    public int ExpectedFiles { get; init; }

    /// <summary>
    /// Read each holder into the process table (name, owner, start time) as soon as it is found to
    /// hold something, on the worker that read it. On by default; the inventory names every holder.
    /// </summary>
    public bool NameHolders { get; init; } = true;

    /// <summary>
    /// Read maps by PROCMAP_QUERY where the kernel has it (Linux 6.11+; asked once, of this
    /// process's own maps), falling back to the text when it does not, and for any maps file that
    /// refuses the query. On by default; off reads the text always.
    /// </summary>
    public bool ReadMapsByQuery { get; init; } = true;

    /// <summary>Read fd tables too (attachments by open descriptor). On by default.</summary>
    public bool ReadDescriptors { get; init; } = true;

    /// <summary>
    /// Also read the descriptor tables threads keep of their own (unshare(CLONE_FILES)). Off by
    /// default: comparing every thread with its leader costs about as much as reading all maps,
    /// and such tables are rare. The removal's holder pass reads them; judging relies on the
    /// kernel's exclusive-lease test, which sees every open descriptor.
    /// </summary>
    public bool ReadThreadTables { get; init; }

    /// <summary>How many worker threads read /proc (the kernel renders maps on the reading CPU).</summary>
    public int Parallelism { get; init; } = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));

    /// <summary>
    /// How many bytes of maps each process had when last read (<see cref="MapsBytes"/> of an
    /// earlier pass; when read by query, about as many as its mappings take as text): the
    /// processes are read largest first, so the pass does not end waiting on one large process a
    /// worker took last. Without it, this process (a runtime's maps are long) comes first and the
    /// rest in pid order.
    /// </summary>
    public IReadOnlyList<(int Pid, int Bytes)>? LastMapsBytes { get; init; }

    /// <summary>After <see cref="Scan"/> of every process: how many bytes of maps each one read had (an estimate from its mappings when read by query).</summary>
    public List<(int Pid, int Bytes)>? MapsBytes { get; private set; }

    /// <summary>Keeps the pass's workers on CPUs apart; made on the thread that calls <see cref="Scan"/> (the caller's own, when work alongside notes it too).</summary>
    internal SideBySide? SideBySide { get; init; }

    /// <summary>Stops the pass early; <see cref="Scan"/> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>
    /// Reads every process (or <paramref name="pids"/>). <paramref name="alongside"/>, when given,
    /// is other work of the caller's (the directory listing) done by one of the pass's own
    /// workers before it starts on processes: the pass never runs more threads than it has CPUs
    /// for, and the others take the processes meanwhile. It must not throw.
    /// </summary>
    public ProcessHoldings Scan(IReadOnlyList<int>? pids = null, Action? alongside = null)
    {
        // When the pids are to be read, the workers start first and this thread lists /proc
        // while the other work (the directory listing) is done: nothing waits on either alone.
        IReadOnlyList<int>? list = pids;
        using var listed = pids == null ? new ManualResetEventSlim() : null;
        // Workers pull pids from a shared counter, so one slow process does not stall a share.
        int next = -1;
        var apart = SideBySide ?? new SideBySide();
        int wanted = pids == null ? Parallelism : Math.Max(pids.Count / 8 + 1, alongside == null ? 1 : 2);
        var collectors = new Collector[Math.Max(1, Math.Min(Parallelism, wanted))];
        void Work(object? state)
        {
            listed?.Wait();
            var pidList = Volatile.Read(ref list);
            if (pidList == null) return; // /proc could not be listed: the caller throws
            var c = (Collector)state!;
            int i;
            while (!Cancel.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < pidList.Count)
            {
                int held = c.Holdings;
                apart.Note();
                ScanProcess(pidList[i], c);
                // A holder is read (name, owner, start time) now, while its /proc entry is fresh in
                // the cache, and on this worker rather than when the segments are made.
                if (c.Holdings != held && NameHolders) _table.Get(pidList[i]);
            }
        }
        var threads = new KeptThreads.Running[collectors.Length - 1];
        // The first collector receives the others' holdings: it is sized for all of them.
        for (int t = 0; t < collectors.Length; t++) collectors[t] = new Collector(_table.ProcRoot, t == 0 ? ExpectedFiles : ExpectedFiles / collectors.Length);
        for (int t = 0; t < threads.Length; t++)
        {
            bool first = t == 0 && alongside != null;
            var mine = collectors[t + 1];
            threads[t] = KeptThreads.Shared.Start(() =>
            {
                apart.Note(); // to run beside this thread, not after it
                if (first) alongside!();
                Work(mine);
            });
        }
        if (threads.Length == 0) alongside?.Invoke(); // one CPU: the other work first, then the processes
        if (listed != null)
        {
            try
            {
                Volatile.Write(ref list, LargestFirst(_table.ListPids(), LastMapsBytes, Environment.ProcessId));
            }
            finally
            {
                listed.Set();
                if (list == null) foreach (var th in threads) th.Join(); // the failure is thrown once the others are done
            }
        }
        Work(collectors[0]);
        foreach (var th in threads) th.Join();
        foreach (var c in collectors) c.Release();
        Cancel.ThrowIfCancellationRequested();

        var files = collectors[0].Files;
        var sysv = collectors[0].SysV;
        var problems = collectors[0].Problems;
        foreach (var c in collectors.Skip(1))
        {
            files.Merge(c.Files);
            Merge(sysv, c.SysV);
            problems.AddRange(c.Problems);
        }
        if (pids == null)
        {
            MapsBytes = new List<(int, int)>(collectors.Sum(c => c.MapsBytes.Count));
            foreach (var c in collectors) MapsBytes.AddRange(c.MapsBytes);
        }
        problems.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return new ProcessHoldings(files, sysv, problems, list!.Count);
    }

    private static void Merge<TKey>(Dictionary<TKey, List<Holding>> into, Dictionary<TKey, List<Holding>> from) where TKey : notnull
    {
        foreach (var (k, v) in from)
        {
            if (into.TryGetValue(k, out var existing)) existing.AddRange(v);
            else into[k] = v;
        }
    }

    private void ScanProcess(int pid, Collector c)
    {
        string pidDir = c.PidDirectory(pid);
        int err = ReadMappings(pid, pidDir + "/maps", c, out int size, out bool noMemory);
        if (err != 0)
        {
            if (!Posix.IsGone(err)) c.Problem(pid, "maps", err);
            return;
        }
        c.MapsBytes.Add((pid, size));
        // A process whose main thread has exited shows no maps and no descriptors under its pid;
        // its other threads still have both (kernel threads have neither, and no other thread).
        string tableDir = pidDir;
        int? leaderGone = null;
        if (noMemory && OtherThread(pidDir, pid) is { } other)
        {
            string taskDir = pidDir + "/task/" + other.ToString(CultureInfo.InvariantCulture);
            // As text: the holdings keep their paths, which could not be asked later under the pid.
            err = ReadMapsText(pid, taskDir + "/maps", c, out _, out _);
            if (err != 0)
            {
                if (!Posix.IsGone(err)) c.Problem(pid, $"task/{other}/maps", err);
                return;
            }
            (tableDir, leaderGone) = (taskDir, other);
        }
        if (!ReadDescriptors) return;
        c.SeenFds.Clear();
        if (!ScanDescriptors(pid, leaderGone, tableDir, c) || !ReadThreadTables) return;
        ScanThreadTables(pid, pidDir, c);
    }

    // Whether this kernel answers the query (asked once, of this process's own maps).
    private static readonly Lazy<bool> s_kernelHasQuery = new(MapsQuery.Answered);

    /// <summary>
    /// The shared-memory mappings of one maps file into the collector: by PROCMAP_QUERY where the
    /// kernel has it (<see cref="ReadMapsByQuery"/>), else as text. <paramref name="size"/> is what
    /// orders the next pass (bytes of text, or about as many for the mappings queried);
    /// <paramref name="noMemory"/> says the process had no memory to show (a kernel thread, or a
    /// process whose main thread has exited).
    /// </summary>
    private int ReadMappings(int pid, string mapsPath, Collector c, out int size, out bool noMemory)
    {
        if (ReadMapsByQuery && s_kernelHasQuery.Value)
        {
            // A file that refuses it (not a procfs maps file: a forged /proc) is read as text.
            int err = QueryMappings(pid, mapsPath, c, out size, out noMemory, out bool refused);
            if (!refused) return err;
        }
        return ReadMapsText(pid, mapsPath, c, out size, out noMemory);
    }

    private int ReadMapsText(int pid, string mapsPath, Collector c, out int size, out bool noMemory)
    {
        int err = Posix.ReadFile(mapsPath, ref c.Buffer, out size);
        noMemory = err == 0 && size == 0;
        if (err != 0) return err;
        var parser = new MapsParser(c.Buffer.AsSpan(0, size));
        var wanted = new ShmLines(this);
        while (parser.MoveNext(wanted, out var line))
        {
            bool sysv = line.Path.StartsWith(SysVPrefix);
            // The path text is only needed for unlinked files (their old name); listed files
            // are matched by (device, inode) and named from the directory.
            string? path = !sysv && line.Path.EndsWith(DeletedSuffix) ? Encoding.UTF8.GetString(line.Path) : null;
            AddMapping(pid, c, sysv, line.Start, line.End, line.Offset, line.Device, line.Inode, path);
        }
        return 0;
    }

    /// <summary>About how many bytes of maps text one mapping is (orders the next pass alike in both ways of reading).</summary>
    private const int BytesPerMapping = 100;

    /// <summary>
    /// The mappings by query: each file-backed one's device and inode, without its path. Files on
    /// a shm tmpfs are kept (an unlinked one is named later, if the listing does not name it); a
    /// shared mapping elsewhere is asked its path, to tell a System V attachment (/SYSV...) from a
    /// memfd or shared anonymous memory on the same internal device. <paramref name="refused"/>:
    /// the kernel does not know the query (nothing was read).
    /// </summary>
    private int QueryMappings(int pid, string mapsPath, Collector c, out int size, out bool noMemory, out bool refused)
    {
        size = 0;
        noMemory = refused = false;
        int fd = MapsQuery.Open(mapsPath);
        if (fd < 0) return -fd;
        try
        {
            ulong at = 0;
            int count = 0;
            while (true)
            {
                int err = MapsQuery.Next(fd, at, out var m);
                if (err == Posix.ENOENT) break; // no mapping at or after at
                if (err == Posix.ESRCH)
                {
                    noMemory = count == 0; // none to begin with, or the process exited meanwhile
                    break;
                }
                if (err != 0)
                {
                    refused = count == 0 && MapsQuery.IsUnknown(err);
                    return err;
                }
                count++;
                if (m.End <= at) return Posix.EIO; // a kernel that did not move on would loop
                at = m.End;
                if (IsShm(m.Device)) AddMapping(pid, c, false, m.Start, m.End, m.Offset, m.Device, m.Inode, null);
                else if (m.Shared && IsSysV(fd, m, c)) AddMapping(pid, c, true, m.Start, m.End, m.Offset, m.Device, m.Inode, null);
            }
            size = count * BytesPerMapping;
            return 0;
        }
        finally
        {
            MapsQuery.Close(fd);
        }
    }

    /// <summary>Whether shared mapping <paramref name="m"/> is a System V attachment, by its path (/SYSV followed by the key).</summary>
    private static bool IsSysV(int fd, in MappedFile m, Collector c) =>
        MapsQuery.NameAt(fd, m.Start, c.NameBuffer, out var again, out int length) == 0
        && again.Start == m.Start && again.Inode == m.Inode && again.Device == m.Device
        && c.NameBuffer.AsSpan(0, length).StartsWith(SysVPrefix);

    /// <summary>One mapping of shared memory into the collector's holdings (<paramref name="path"/>: an unlinked file's, or null).</summary>
    private static void AddMapping(int pid, Collector c, bool sysv, ulong start, ulong end, ulong offset, DeviceId device, ulong inode, string? path)
    {
        long mapped = (long)(end - start);
        long extent = (long)(offset + end - start);
        // SysV attachments are keyed by shmid (the inode column), files by (device, inode).
        // A file mapped more than once is one holding: this process's holding of it, when
        // there is one, is the last of its list (a collector reads one process at a time).
        var holders = sysv ? c.SysVHolders((long)inode) : c.Files.HoldersOf(new FileKey(device, inode));
        if (holders.Count > 0 && holders[^1] is { } last && last.Pid == pid && last.Via != AttachmentKind.Fd)
        {
            holders[^1] = last with { MappedBytes = last.MappedBytes + mapped, Extent = Math.Max(last.Extent, extent), Path = last.Path ?? path };
            return;
        }
        holders.Add(new Holding(pid, sysv ? AttachmentKind.SysV : AttachmentKind.Map, mapped, extent, path, start, end));
        c.Holdings++;
    }

    /// <summary>
    /// The pids by the size of their maps at the last pass, largest first (a pid not seen then
    /// counts as an average one; this process, not seen, as the largest), ties in pid order.
    /// </summary>
    internal static List<int> LargestFirst(List<int> pids, IReadOnlyList<(int Pid, int Bytes)>? last, int self)
    {
        if (last == null || last.Count == 0)
        {
            int at = pids.IndexOf(self);
            if (at > 0) { pids.RemoveAt(at); pids.Insert(0, self); }
            return pids;
        }
        var bytesOf = new Dictionary<int, int>(last.Count);
        long sum = 0;
        foreach (var (pid, b) in last)
        {
            bytesOf[pid] = b;
            sum += b;
        }
        int average = (int)(sum / last.Count);
        var cost = new int[pids.Count];
        var order = new int[pids.Count];
        for (int i = 0; i < pids.Count; i++)
        {
            order[i] = i;
            cost[i] = bytesOf.TryGetValue(pids[i], out int b) ? b : pids[i] == self ? int.MaxValue : average;
        }
        Array.Sort(order, (x, y) => cost[x] != cost[y] ? cost[y].CompareTo(cost[x]) : x.CompareTo(y));
        var ordered = new List<int>(pids.Count);
        foreach (int i in order) ordered.Add(pids[i]);
        return ordered;
    }

    /// <summary>The task id a /proc/PID/task entry (NUL-terminated) names, or -1.</summary>
    private static int TaskId(ReadOnlySpan<byte> name)
    {
        int tid = 0;
        for (int i = 0; i < name.Length - 1; i++)
        {
            uint d = (uint)(name[i] - '0');
            if (d > 9) return -1;
            tid = tid * 10 + (int)d;
        }
        return tid;
    }

    /// <summary>A thread of <paramref name="pid"/> other than its main one, or null.</summary>
    private static int? OtherThread(string pidDir, int pid)
    {
        int tdir = Posix.OpenDirectory(pidDir + "/task");
        if (tdir < 0) return null;
        int? found = null;
        try
        {
            Posix.ReadDirectory(tdir, (name, _, _) =>
            {
                if (found == null && TaskId(name) is var tid && tid != pid && tid > 0) found = tid;
            });
        }
        finally
        {
            Posix.Close(tdir);
        }
        return found;
    }

    /// <summary>
    /// Threads that unshared their descriptor table (unshare(CLONE_FILES)) hold descriptors that
    /// /proc/PID/fd does not show: each thread is compared with the leader (kcmp), and a thread
    /// with a table of its own, or one the kernel cannot compare, has its table read as well.
    /// </summary>
    private void ScanThreadTables(int pid, string pidDir, Collector c)
    {
        int tdir = Posix.OpenDirectory(pidDir + "/task");
        if (tdir < 0)
        {
            if (!Posix.IsGone(-tdir)) c.Problem(pid, "task", -tdir);
            return;
        }
        c.Tids.Clear();
        try
        {
            Posix.ReadDirectory(tdir, (name, _, _) =>
            {
                if (TaskId(name) is var tid && tid != pid && tid > 0) c.Tids.Add(tid);
            });
        }
        finally
        {
            Posix.Close(tdir);
        }
        foreach (int tid in c.Tids)
        {
            int same = FileTables.Compare(pid, tid);
            if (same == 0 || (same < 0 && Posix.IsGone(-same))) continue;
            ScanDescriptors(pid, tid, pidDir + "/task/" + tid.ToString(CultureInfo.InvariantCulture), c);
        }
    }

    /// <summary>Reads one descriptor table (the process's, or a thread's own); false when it could not be read.</summary>
    private bool ScanDescriptors(int pid, int? tid, string taskDir, Collector c)
    {
        string fdDir = taskDir + "/fd";
        int dfd = Posix.OpenDirectory(fdDir);
        if (dfd < 0)
        {
            if (!Posix.IsGone(-dfd)) c.Problem(pid, tid is { } t ? $"task/{t}/fd" : "fd", -dfd);
            return false;
        }
        try
        {
            var seen = c.SeenFds;
            // One statx per descriptor (following the magic link to the open file) tells device
            // and inode directly; only descriptors on a shm tmpfs are kept.
            Posix.ReadDirectory(dfd, (name, _, _) =>
            {
                if (Posix.StatAt(dfd, name, out var st, followLinks: true) != 0) return;
                if (!IsShm(st.Device) || st.Type != UnixFileType.RegularFile) return;
                var key = new FileKey(st.Device, st.Inode);
                if (!seen.Add(key)) return;
                int fd = int.Parse(Encoding.ASCII.GetString(name[..^1]), CultureInfo.InvariantCulture);
                string? target = st.LinkCount == 0 ? Posix.ReadLink(fdDir + "/" + fd.ToString(CultureInfo.InvariantCulture)) : null;
                c.Files.Add(key, new Holding(pid, AttachmentKind.Fd, 0, st.SizeBytes, target, Fd: fd) { Tid = tid });
                c.Holdings++;
            });
        }
        finally
        {
            Posix.Close(dfd);
        }
        return true;
    }

    private sealed class Collector
    {
        private readonly string _procRoot;
        private readonly byte[] _rented = Threading.ScanBuffers<byte>.Pool.Rent(64 * 1024);
        public byte[] Buffer;
        public readonly byte[] NameBuffer = new byte[4096]; // a mapping's path, asked of the kernel
        public readonly HashSet<FileKey> SeenFds = new();
        public readonly List<int> Tids = new();
        public readonly HoldingMap Files;
        public readonly Dictionary<long, List<Holding>> SysV = new();
        public readonly List<ProcessAccessProblem> Problems = new();
        public int Holdings; // how many holdings this collector has found
        public readonly List<(int Pid, int Bytes)> MapsBytes = new();

        public Collector(string procRoot, int expectedFiles)
        {
            _procRoot = procRoot;
            Buffer = _rented;
            Files = new HoldingMap(expectedFiles);
        }

        /// <summary>Gives the read buffer back to the pool (one grown past it is left to the collector).</summary>
        public void Release() => Threading.ScanBuffers<byte>.Pool.Return(_rented);

        public string PidDirectory(int pid) => _procRoot + "/" + pid.ToString(CultureInfo.InvariantCulture);

        /// <summary>The holdings of SysV segment <paramref name="shmid"/> found so far (a new, empty list for the first).</summary>
        public List<Holding> SysVHolders(long shmid)
        {
            ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(SysV, shmid, out _);
            return list ??= new List<Holding>(2);
        }

        public void Problem(int pid, string entry, int errno) =>
            Problems.Add(new ProcessAccessProblem(pid, entry, errno,
                $"{_procRoot}/{pid}/{entry}: {Errors.Describe(errno)}"));
    }
}
