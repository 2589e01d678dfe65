using System.Diagnostics;
using System.Globalization;
using ShmTools.Core.Gpu;
using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Core.Capacity;

/// <summary>
/// How full each shared-memory filesystem is and with what: one inventory scan and one liveness
/// pass, then statfs on every /dev/shm root, the segments' memory summed by verdict, producer and
/// holder, and the container and pod behind each mount. Looking changes nothing.
/// </summary>
public sealed class ShmUsageScanner
{
    public const string UnrecognisedProducer = "(unrecognised)";

    /// <summary>One scan and one judging; <paramref name="cancel"/> stops either (then <see cref="OperationCanceledException"/>), waits for a turn included.</summary>
    public ShmUsageReport Scan(UsageQuery query, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var inventory = ShmInventory.Of(query.Sources).Scan(new ShmQuery { AllNamespaces = query.AllNamespaces, IgnoreInvisible = query.Liveness.IgnoreInvisible, TurnWait = query.Liveness.LockWait, Notify = query.Notify }, cancel);
        // The report's warnings are the whole scan's: the inventory's (its turn, visibility, ignored
        // entries, directories it could not list), then the judging's and the mounts'.
        var warnings = new List<string>(inventory.AllWarnings);
        var verdicts = new LivenessChecker(query.Liveness, query.Sources.ProcRoot) { Notify = ToldWarnings.KeptIn(warnings, query.Notify) }.Check(inventory.Segments, cancel);
        var cgroups = new CgroupCache(query.Sources.ProcRoot);

        var byDevice = new Dictionary<string, List<LivenessResult>>(StringComparer.Ordinal);
        var sysv = new List<LivenessResult>();
        foreach (var r in verdicts)
        {
            if (r.Segment.Kind == SegmentKind.SysV) { sysv.Add(r); continue; }
            if (r.Segment.Device is not { } dev) continue;
            if (!byDevice.TryGetValue(dev, out var list)) byDevice[dev] = list = new List<LivenessResult>();
            list.Add(r);
        }

        var mounts = new List<ShmMountUsage>(inventory.Roots.Count);
        foreach (var root in inventory.Roots)
        {
            string device = root.Device.ToString();
            var results = byDevice.TryGetValue(device, out var l) ? l : new List<LivenessResult>();
            mounts.Add(Mount(root, device, results, query.Top, cgroups, warnings));
        }
        var report = new ShmUsageReport
        {
            Mounts = mounts,
            SysV = SysV(sysv, query.KernelSysctlDirectory, warnings),
            Partial = inventory.Partial,
            VisibilityLimits = inventory.VisibilityLimits,
            Warnings = warnings,
            Elapsed = clock.Elapsed,
            Inventory = inventory,
            Verdicts = verdicts,
        };
        return report;
    }

    private static ShmMountUsage Mount(ShmRoot root, string device, List<LivenessResult> results, int top, CgroupCache cgroups, List<string> warnings)
    {
        int err = FileSystemSpace.Read(root.Directory, out var space);
        if (err != 0) warnings.Add($"{root.Directory}: {Errors.Describe(err)}; its size is not known.");
        long live = 0, stale = 0, orphaned = 0, unknown = 0;
        var producers = new Dictionary<string, (int Count, long Bytes)>(StringComparer.Ordinal);
        var holders = new Dictionary<int, (Attachment First, int Count, long Bytes)>();
        foreach (var r in results)
        {
            long bytes = r.Segment.ResidentBytes;
            switch (r.Verdict)
            {
                case Verdict.Live: live += bytes; break;
                case Verdict.Stale: stale += bytes; break;
                case Verdict.Orphaned: orphaned += bytes; break;
                default: unknown += bytes; break;
            }
            string producer = r.Segment.Producer ?? UnrecognisedProducer;
            producers.TryGetValue(producer, out var p);
            producers[producer] = (p.Count + 1, p.Bytes + bytes);
            foreach (var group in r.Segment.Attachments.GroupBy(a => a.Pid))
            {
                var a = group.First();
                holders.TryGetValue(a.Pid, out var h);
                holders[a.Pid] = (h.First ?? a, h.Count + 1, h.Bytes + bytes);
            }
        }
        var via = root.ViaPid is { } pid ? cgroups.Of(pid) : default;
        return new ShmMountUsage
        {
            Path = root.Directory,
            Device = device,
            Namespace = root.Namespace,
            ViaPid = root.ViaPid,
            ContainerId = via.ContainerId,
            PodUid = via.PodUid,
            SizeBytes = space.SizeBytes,
            UsedBytes = space.UsedBytes,
            FreeBytes = space.AvailableBytes,
            PercentUsed = space.SizeBytes > 0 ? Math.Round(100.0 * space.UsedBytes / space.SizeBytes, 2) : null,
            SegmentCount = results.Count,
            LiveBytes = live,
            StaleBytes = stale,
            OrphanedBytes = orphaned,
            UnknownBytes = unknown,
            TopProducers = producers.OrderByDescending(kv => kv.Value.Bytes).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top)
                .Select(kv => new ProducerUsage(kv.Key, kv.Value.Count, kv.Value.Bytes)).ToList(),
            TopHolders = holders.OrderByDescending(kv => kv.Value.Bytes).ThenBy(kv => kv.Key).Take(top).Select(kv =>
            {
                var id = cgroups.Of(kv.Key);
                return new HolderUsage(kv.Key, kv.Value.First.ProcessName, kv.Value.First.User, kv.Value.Count, kv.Value.Bytes, id.ContainerId, id.PodUid);
            }).ToList(),
            HolderCount = holders.Count,
            Error = err != 0 ? Errors.Describe(err) : null,
        };
    }

    private static SysVUsage SysV(List<LivenessResult> results, string sysctl, List<string> warnings)
    {
        long size = 0, resident = 0, stale = 0, orphaned = 0;
        foreach (var r in results)
        {
            size += r.Segment.SizeBytes;
            resident += r.Segment.ResidentBytes;
            if (r.Verdict == Verdict.Stale) stale += r.Segment.SizeBytes;
            else if (r.Verdict == Verdict.Orphaned) orphaned += r.Segment.SizeBytes;
        }
        ulong? shmmax = ReadLimit(sysctl, "shmmax", warnings);
        ulong? shmallPages = ReadLimit(sysctl, "shmall", warnings);
        ulong? shmmni = ReadLimit(sysctl, "shmmni", warnings);
        ulong? shmall = shmallPages is { } pages ? Saturate(pages, (ulong)Environment.SystemPageSize) : null;
        return new SysVUsage
        {
            SegmentCount = results.Count,
            SizeBytes = size,
            ResidentBytes = resident,
            StaleBytes = stale,
            OrphanedBytes = orphaned,
            ShmMaxBytes = shmmax,
            ShmAllBytes = shmall,
            ShmMni = shmmni,
            PercentOfShmAll = shmall is > 0 ? Math.Round(100.0 * size / shmall.Value, 4) : null,
            PercentOfShmMni = shmmni is > 0 ? Math.Round(100.0 * results.Count / shmmni.Value, 4) : null,
        };
    }

    private static ulong Saturate(ulong a, ulong b) => a != 0 && b > ulong.MaxValue / a ? ulong.MaxValue : a * b;

    private static ulong? ReadLimit(string directory, string name, List<string> warnings)
    {
        string path = directory + "/" + name;
        try
        {
            string text = File.ReadAllText(path).Trim();
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
            warnings.Add($"{path}: '{(text.Length > 40 ? text[..40] + "..." : text)}' is not a number; the limit is not known.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{path}: {ex.Message}; the limit is not known.");
        }
        return null;
    }

    /// <summary>pid -> container and pod, each /proc/PID/cgroup read at most once per scan.</summary>
    private sealed class CgroupCache(string procRoot)
    {
        private readonly Dictionary<int, ContainerIdentity> _seen = new();

        public ContainerIdentity Of(int pid)
        {
            if (_seen.TryGetValue(pid, out var id)) return id;
            byte[] buf = new byte[4096];
            string path = procRoot + "/" + pid.ToString(CultureInfo.InvariantCulture) + "/cgroup";
            id = Posix.ReadFile(path, ref buf, out int n) == 0 ? ContainerIdentity.FromCgroup(System.Text.Encoding.UTF8.GetString(buf, 0, n)) : default;
            _seen[pid] = id;
            return id;
        }
    }
}
