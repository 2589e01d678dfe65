using System.Diagnostics;
using System.Globalization;
using ShmTools.Core.Capacity;
using ShmTools.Core.Gpu;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Metrics;

/// <summary>
/// Turns one capacity scan (and, where a source exists, one look at the GPUs) into Prometheus
/// metrics. Label cardinality is bounded: segments are aggregated by kind, producer (a fixed
/// catalogue) and verdict; mounts, GPU processes and the optional per-segment series are capped,
/// and what a cap left out is counted in shmtools_series_dropped.
/// </summary>
public sealed class MetricsCollector(MetricsOptions options)
{
    private static readonly Verdict[] Verdicts = Enum.GetValues<Verdict>();

    public MetricsSnapshot Collect()
    {
        var clock = Stopwatch.StartNew();
        var usage = new ShmUsageScanner().Scan(options.Usage);
        GpuReport? gpu = null;
        string? gpuUnavailable = null;
        if (options.Gpu)
        {
            try
            {
                gpu = new GpuInventory().Read(options.GpuQuery);
            }
            catch (GpuUnavailableException ex)
            {
                gpuUnavailable = ex.Message;
            }
        }
        var w = new ExpositionWriter();
        WriteSegments(w, usage);
        WriteMounts(w, usage);
        WriteSysV(w, usage.SysV);
        WriteGpu(w, gpu);
        var dropped = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["mount"] = Math.Max(0, usage.Mounts.Count - options.MountSeriesLimit),
            ["gpu_process"] = gpu == null ? 0 : Math.Max(0, gpu.Allocations.Count - options.GpuProcessSeriesLimit),
            ["segment"] = options.PerSegment ? Math.Max(0, usage.Verdicts.Count - options.SegmentSeriesLimit) : 0,
        };
        if (options.PerSegment) WritePerSegment(w, usage);
        w.Gauge("shmtools_series_dropped", "Items that a series cap left without their own series (mount, gpu_process, segment).");
        foreach (var (what, n) in dropped) w.Sample(n, ("series", what));

        var inv = usage.Inventory;
        w.Gauge("shmtools_visibility_partial", "1 when the scan did not see every process (some could not be read, or /proc hides some), so holders may be missing and verdicts lean to Unknown.")
            .Sample(usage.Partial ? 1 : 0);
        w.Gauge("shmtools_visibility_limit", "1 for each reason the scan did not see every process: unreadable processes, a pid namespace of its own, a /proc with hidepid.")
            .Sample(inv.Visibility.UnreadablePids.Count > 0 ? 1 : 0, ("reason", "unreadable_processes"))
            .Sample(inv.Visibility.Proc.PidNamespace != null ? 1 : 0, ("reason", "pid_namespace"))
            .Sample(inv.Visibility.Proc.HidePid != null ? 1 : 0, ("reason", "hidepid"));
        w.Gauge("shmtools_unreadable_processes", "Processes whose maps or descriptors could not be read during the scan.")
            .Sample(inv.Visibility.UnreadablePids.Count);
        w.Gauge("shmtools_processes_scanned", "Processes read in the scan's /proc pass.").Sample(inv.ProcessesScanned);
        var now = DateTimeOffset.UtcNow;
        w.Gauge("shmtools_scan_timestamp_seconds", "When the scan finished, in seconds since the Unix epoch.")
            .Sample(Math.Round(now.ToUnixTimeMilliseconds() / 1000.0, 3));
        var duration = clock.Elapsed;
        w.Gauge("shmtools_scan_duration_seconds", "How long the scan (inventory, liveness, capacity, GPUs) took.")
            .Sample(Math.Round(duration.TotalSeconds, 6));
        return new MetricsSnapshot(w.ToString(), usage, now, duration) { GpuUnavailable = gpuUnavailable };
    }

    private static string Kind(SegmentKind k) => k.ToString().ToLowerInvariant();

    private static void WriteSegments(ExpositionWriter w, ShmUsageReport usage)
    {
        var groups = new SortedDictionary<(string Kind, string Producer, string Verdict), (int Count, long Bytes)>();
        long stale = 0, orphaned = 0;
        foreach (var r in usage.Verdicts)
        {
            var key = (Kind(r.Segment.Kind), r.Segment.Producer ?? ShmUsageScanner.UnrecognisedProducer, r.Verdict.ToString());
            long bytes = r.Segment.ResidentBytes;
            groups.TryGetValue(key, out var g);
            groups[key] = (g.Count + 1, g.Bytes + bytes);
            if (r.Verdict == Verdict.Stale) stale += bytes;
            else if (r.Verdict == Verdict.Orphaned) orphaned += bytes;
        }
        w.Gauge("shmtools_segments", "Shared-memory segments by kind, producer and verdict.");
        foreach (var ((k, p, v), g) in groups) w.Sample(g.Count, ("kind", k), ("producer", p), ("verdict", v));
        w.Gauge("shmtools_segment_bytes", "Memory the segments occupy (tmpfs blocks; System V resident plus swap) by kind, producer and verdict.");
        foreach (var ((k, p, v), g) in groups) w.Sample(g.Bytes, ("kind", k), ("producer", p), ("verdict", v));
        w.Gauge("shmtools_stale_bytes", "Memory held by segments judged Stale: what a cleanup would free.").Sample(stale);
        w.Gauge("shmtools_orphaned_bytes", "Memory held by segments judged Orphaned (owner unknown, untouched for long).").Sample(orphaned);
    }

    private static (string, string?)[] MountLabels(ShmMountUsage m) =>
        [("device", m.Device), ("namespace", m.Namespace ?? "host"), ("container_id", m.ContainerId), ("pod_uid", m.PodUid)];

    private void WriteMounts(ExpositionWriter w, ShmUsageReport usage)
    {
        var mounts = usage.Mounts.OrderBy(m => m.Namespace == null ? 0 : 1).ThenByDescending(m => m.UsedBytes)
            .Take(options.MountSeriesLimit).ToList();
        w.Gauge("shmtools_mount_size_bytes", "Size limit of a shared-memory filesystem (a /dev/shm tmpfs), one series per device.");
        foreach (var m in mounts) if (m.Error == null) w.Sample(m.SizeBytes, MountLabels(m));
        w.Gauge("shmtools_mount_used_bytes", "Memory used on a shared-memory filesystem.");
        foreach (var m in mounts) if (m.Error == null) w.Sample(m.UsedBytes, MountLabels(m));
        w.Gauge("shmtools_mount_free_bytes", "Memory a writer may still allocate on a shared-memory filesystem.");
        foreach (var m in mounts) if (m.Error == null) w.Sample(m.FreeBytes, MountLabels(m));
        w.Gauge("shmtools_mount_segments", "Files on a shared-memory filesystem (segments, semaphores, unlinked but held).");
        foreach (var m in mounts) w.Sample(m.SegmentCount, MountLabels(m));
        w.Gauge("shmtools_mount_segment_bytes", "Memory segments occupy on a shared-memory filesystem, by verdict.");
        foreach (var m in mounts)
            foreach (var v in Verdicts)
            {
                long bytes = v switch { Verdict.Live => m.LiveBytes, Verdict.Stale => m.StaleBytes, Verdict.Orphaned => m.OrphanedBytes, _ => m.UnknownBytes };
                w.Sample(bytes, [.. MountLabels(m), ("verdict", v.ToString())]);
            }
    }

    private static void WriteSysV(ExpositionWriter w, SysVUsage s)
    {
        w.Gauge("shmtools_sysv_segments", "System V shared-memory segments.").Sample(s.SegmentCount);
        w.Gauge("shmtools_sysv_size_bytes", "Sum of the System V segments' sizes.").Sample(s.SizeBytes);
        if (s.ShmMaxBytes is { } max) w.Gauge("shmtools_sysv_shmmax_bytes", "kernel.shmmax: the largest System V segment allowed.").Sample(max);
        if (s.ShmAllBytes is { } all) w.Gauge("shmtools_sysv_shmall_bytes", "kernel.shmall in bytes: the most System V memory allowed in all.").Sample(all);
        if (s.ShmMni is { } mni) w.Gauge("shmtools_sysv_shmmni", "kernel.shmmni: the most System V segments allowed.").Sample(mni);
    }

    /// <summary>True when the allocation's process is known to be gone: a HAMi slot whose host pid died, or a host pid that no longer exists.</summary>
    public static bool HeldByDeadProcess(GpuAllocation a) =>
        a.Stale || (!a.VisibleHere && (a.Source != "hami" || a.ContainerPid != a.ProcessId));

    private void WriteGpu(ExpositionWriter w, GpuReport? gpu)
    {
        w.Gauge("shmtools_gpu_source_up", "1 when a GPU source (NVML, nvidia-smi, HAMi) answered the scan.").Sample(gpu == null ? 0 : 1);
        if (gpu == null) return;
        string Idx(int i) => i.ToString(CultureInfo.InvariantCulture);
        w.Gauge("shmtools_gpu_memory_total_bytes", "Device memory of a GPU.");
        foreach (var d in gpu.Devices) if (d.TotalBytes is { } t) w.Sample(t, ("gpu", Idx(d.Index)), ("uuid", d.Uuid), ("name", d.Name));
        w.Gauge("shmtools_gpu_memory_used_bytes", "Device memory in use on a GPU, as the driver reports it.");
        foreach (var d in gpu.Devices) if (d.UsedBytes is { } u) w.Sample(u, ("gpu", Idx(d.Index)), ("uuid", d.Uuid), ("name", d.Name));

        w.Gauge("shmtools_gpu_process_memory_bytes", "Device memory held by one process (largest first, capped), with its container and pod.");
        foreach (var a in gpu.Allocations.Where(a => a.UsedBytes != null).OrderByDescending(a => a.UsedBytes).Take(options.GpuProcessSeriesLimit))
            w.Sample(a.UsedBytes!.Value, ("gpu", Idx(a.DeviceIndex)), ("pid", a.ProcessId.ToString(CultureInfo.InvariantCulture)), ("process", a.ProcessName),
                ("container_id", a.ContainerId), ("pod_uid", a.PodUid), ("source", a.Source), ("dead", HeldByDeadProcess(a) ? "true" : "false"));

        var byContainer = new SortedDictionary<(int, string, string), long>();
        var dead = new SortedDictionary<(int, string), long>();
        foreach (var a in gpu.Allocations)
        {
            long bytes = a.UsedBytes ?? 0;
            var key = (a.DeviceIndex, a.ContainerId ?? "", a.PodUid ?? "");
            byContainer[key] = byContainer.GetValueOrDefault(key) + bytes;
            if (HeldByDeadProcess(a)) dead[(a.DeviceIndex, a.PodUid ?? "")] = dead.GetValueOrDefault((a.DeviceIndex, a.PodUid ?? "")) + bytes;
        }
        w.Gauge("shmtools_gpu_container_memory_bytes", "Device memory held by the processes of one container and pod (empty labels: not in a container).");
        foreach (var ((d, c, p), bytes) in byContainer) w.Sample(bytes, ("gpu", Idx(d)), ("container_id", c), ("pod_uid", p));
        w.Gauge("shmtools_gpu_dead_process_memory_bytes", "Device memory still accounted to processes that are gone (dead pids, leaked HAMi slots), by pod.");
        foreach (var d in gpu.Devices) if (!dead.Keys.Any(k => k.Item1 == d.Index)) w.Sample(0, ("gpu", Idx(d.Index)));
        foreach (var ((d, p), bytes) in dead) w.Sample(bytes, ("gpu", Idx(d)), ("pod_uid", p));
    }

    private void WritePerSegment(ExpositionWriter w, ShmUsageReport usage)
    {
        w.Gauge("shmtools_segment_resident_bytes", "Memory one segment occupies (the largest ones, capped), with its verdict.");
        foreach (var r in usage.Verdicts.OrderByDescending(r => r.Segment.ResidentBytes).ThenBy(r => r.Segment.Path, StringComparer.Ordinal).Take(options.SegmentSeriesLimit))
            w.Sample(r.Segment.ResidentBytes, ("name", r.Segment.Name), ("kind", Kind(r.Segment.Kind)), ("device", r.Segment.Device ?? "sysv"),
                ("inode", r.Segment.Inode.ToString(CultureInfo.InvariantCulture)),
                ("namespace", r.Segment.Namespace ?? "host"), ("verdict", r.Verdict.ToString()), ("producer", r.Segment.Producer));
    }
}
