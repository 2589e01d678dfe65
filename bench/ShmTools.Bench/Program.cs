using System.Diagnostics;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

// In-process timings of the Core engine (steady state): a few warm-up runs, then RUNS timed
// runs of each measure; prints key=value pairs (medians and minima in milliseconds, and the median
// CPU time of the whole process, every thread, per run).
//   inventory  ShmInventory.Scan alone
//   check      Scan + LivenessChecker.Check
//   dryclean   Scan + StaleSegmentCleaner (dry run: judge and select)
// Optional second argument: processes to ignore as invisible (comma-separated pids).
// With "plan MODELS_DIR" as arguments it runs the planner benchmark instead (PlanBench);
// with "exact [CSV_DIR] [SECONDS] [RUNS]" the exact solver on buffer lists at capacity 1 MiB (ExactBench);
// with "paired ROUNDS FLOOR [IGNORE]" the inventory and the complete floor side by side (PairedBench);
// with "scans RUNS" scans alone (for a profiler): wall, CPU and user CPU medians, with what one scan allocates before and after its pass
//   (SCAN_GC=GEN collects that generation before each scan, SCAN_POLLUTE=MB allocates that much first: what the memory a scan finds costs it);
// with "gaps ROUNDS FLOOR" a scan timed after another scan, a sleep, a spin, a spawn of /bin/true and a floor run (GapBench);
// with "loh RUNS" what a scan allocates on the large-object heap, and a sample of where its small-object bytes go;
// with "allocs" what the listing, its sort, the /proc pass and a scan's two halves allocate;
// with "results RUNS" one scan's segments made again and again (ToResult over one Begin): median wall and CPU milliseconds;
// with "phases RUNS [IDLE_MS]" a scan's phases apart (listing, /proc pass, making the segments);
// with "listing RUNS" the /dev/shm listing alone: getdents + statx only, entries made, entries sorted;
// with "swaprace ROUNDS SHM_STRESS" the removal protocol's swap race (SwapRace, via bench/cleanup/stress.py);
// with "memory" what a streamed scan keeps alive (after the pass, after streaming, with every segment held).
ShmTools.Formats.FileFormatReaders.Register();
if (args.Length > 0 && args[0] == "exact")
{
    ShmTools.Bench.ExactBench.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "swaprace")
{
    ShmTools.Bench.SwapRace.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "paired")
{
    ShmTools.Bench.PairedBench.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "gaps")
{
    ShmTools.Bench.GapBench.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "scans")
{
    // Scans and nothing else, RUNS times (for a profiler): wall and CPU medians.
    var inv = new ShmInventory();
    var walls = new List<double>(); var cpus = new List<double>(); var users = new List<double>(); var faults = new List<double>(); var bw = new List<double>(); var bc = new List<double>();
    static long MinorFaults() => long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7]);
    int n = int.Parse(args[1]);
    for (int i = 0; i < n + 40; i++)
    {
        if (Environment.GetEnvironmentVariable("SCAN_GC") is { } gen) GC.Collect(int.Parse(gen), GCCollectionMode.Forced, blocking: true);
        if (Environment.GetEnvironmentVariable("SCAN_POLLUTE") is { } mb) for (int c = 0; c < int.Parse(mb) * 16; c++) GC.KeepAlive(new byte[65536]);
        var before = Environment.CpuUsage.TotalTime; var ub = Environment.CpuUsage.UserTime; long f0 = MinorFaults(); var sw = Stopwatch.StartNew();
        long a0 = GC.GetTotalAllocatedBytes(true);
        var began = inv.Begin(new ShmQuery());
        double beginWall = sw.Elapsed.TotalMilliseconds, beginCpu = (Environment.CpuUsage.TotalTime - before).TotalMilliseconds;
        long a1 = GC.GetTotalAllocatedBytes(true);
        began.ToResult();
        if (i >= 40) { bw.Add(beginWall); bc.Add(beginCpu); }
        long a2 = GC.GetTotalAllocatedBytes(true);
        if (i == n + 39) Console.Write($"alloc_begin_mb={(a1 - a0) / 1048576.0:0.00} alloc_result_mb={(a2 - a1) / 1048576.0:0.00} ");
        if (i >= 40) { walls.Add(sw.Elapsed.TotalMilliseconds); cpus.Add((Environment.CpuUsage.TotalTime - before).TotalMilliseconds); users.Add((Environment.CpuUsage.UserTime - ub).TotalMilliseconds); faults.Add(MinorFaults() - f0); }
    }
    walls.Sort(); cpus.Sort(); users.Sort(); faults.Sort();
    Console.Write($"minor_faults_median={faults[n / 2]:0} minor_faults_mean={faults.Average():0} ");
    Console.Write($"gcs={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} gc_pause_ms={GC.GetTotalPauseDuration().TotalMilliseconds:0} ");
    bw.Sort(); bc.Sort();
    Console.WriteLine($"scan_median_ms={walls[n / 2]:0.00} scan_cpu_ms={cpus[n / 2]:0.00} scan_user_ms={users[n / 2]:0.00} begin_median_ms={bw[n / 2]:0.00} begin_cpu_ms={bc[n / 2]:0.00}");
    return;
}
if (args.Length > 0 && args[0] == "results")
{
    var scan = new ShmInventory().Begin(new ShmQuery());
    int n = int.Parse(args[1]);
    var walls = new List<double>(); var cpus = new List<double>();
    for (int i = 0; i < n + 40; i++)
    {
        var c0 = Environment.CpuUsage.TotalTime; var sw = Stopwatch.StartNew();
        GC.KeepAlive(scan.ToResult());
        if (i >= 40) { walls.Add(sw.Elapsed.TotalMilliseconds); cpus.Add((Environment.CpuUsage.TotalTime - c0).TotalMilliseconds); }
    }
    walls.Sort(); cpus.Sort();
    Console.WriteLine($"result_median_ms={walls[n / 2]:0.000} result_cpu_ms={cpus[n / 2]:0.000}");
    return;
}
if (args.Length > 0 && args[0] == "allocs")
{
    var root0 = ShmTools.Bench.OwnShm.Root();
    var filter0 = ShmTools.Bench.OwnShm.Everything;
    for (int k = 0; k < 30; k++)
    {
        long a0 = GC.GetTotalAllocatedBytes(true);
        var l = new PosixListing(12000); PosixShmLister.List(root0, filter0, l);
        long a1 = GC.GetTotalAllocatedBytes(true);
        l.SortAndDropRepeats();
        long a2 = GC.GetTotalAllocatedBytes(true);
        var table = new ShmTools.Core.Processes.ProcessTable();
        var h = new ShmTools.Core.Processes.ProcessScanner(table, new HashSet<ShmTools.Core.Native.DeviceId> { root0.Device }).Scan();
        long a3 = GC.GetTotalAllocatedBytes(true);
        var scan = new ShmInventory().Begin(new ShmQuery());
        long a4 = GC.GetTotalAllocatedBytes(true);
        scan.ToResult();
        long a5 = GC.GetTotalAllocatedBytes(true);
        if (k == 29) Console.WriteLine($"listing_mb={(a1 - a0) / 1e6:0.00} sort_mb={(a2 - a1) / 1e6:0.00} pass_mb={(a3 - a2) / 1e6:0.00} begin_mb={(a4 - a3) / 1e6:0.00} result_mb={(a5 - a4) / 1e6:0.00}");
    }
    return;
}
if (args.Length > 0 && args[0] == "loh")
{
    // What a scan allocates on the large-object heap (each such allocation brings a full collection nearer).
    var inv = new ShmInventory();
    for (int i = 0; i < 20; i++) inv.Scan(new ShmQuery());
    using var listener = new ShmTools.Bench.LohListener();
    int n = int.Parse(args[1]);
    for (int i = 0; i < n; i++) inv.Scan(new ShmQuery());
    Thread.Sleep(500);
    lock (listener.Large) Console.WriteLine(string.Join(" ", listener.Large.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}={kv.Value / (double)n:0.00}/scan")));
    lock (listener.Small) Console.WriteLine("small, KB a scan (sampled): " + string.Join(" ", listener.Small.OrderByDescending(kv => kv.Value).Take(16).Select(kv => $"{kv.Key}={kv.Value * 100.0 / n:0}")));
    return;
}
if (args.Length > 0 && args[0] == "phases")
{
    // A scan's phases, RUNS scans after 40 warm-ups: the listing (beside the /proc pass), the /proc
    // pass, making the segments, and the whole scan; medians in milliseconds. An optional IDLE_MS
    // sleeps that long before each scan (as between an exporter's scrapes).
    var inv = new ShmInventory();
    var l = new List<double>(); var p = new List<double>(); var a = new List<double>(); var w = new List<double>();
    int n = int.Parse(args[1]);
    int idle = args.Length > 2 ? int.Parse(args[2]) : 0;
    for (int i = 0; i < n + 40; i++)
    {
        if (idle > 0) Thread.Sleep(idle);
        var sw = Stopwatch.StartNew();
        var t = inv.Scan(new ShmQuery()).Timings!;
        double all = sw.Elapsed.TotalMilliseconds;
        if (i < 40) continue;
        l.Add(t.Listing.TotalMilliseconds); p.Add(t.ProcessPass.TotalMilliseconds); a.Add(t.Assembly.TotalMilliseconds); w.Add(all);
    }
    double M(List<double> x) => x.Order().ElementAt(x.Count / 2);
    Console.WriteLine($"listing_ms={M(l):0.00} proc_pass_ms={M(p):0.00} assembly_ms={M(a):0.00} scan_ms={M(w):0.00}");
    return;
}
if (args.Length > 0 && args[0] == "checkparts")
{
    // Where a check's time goes, RUNS rounds after 20 warm-ups: the scan, the probe of the unheld
    // segments alone, and the whole check over the scanned segments (which probes again); medians.
    var inv = new ShmInventory();
    var lo = new LivenessOptions { IgnoreInvisible = args.Length > 2 && args[2].Length > 0 ? args[2].Split(',').Select(int.Parse).ToArray() : [], ProbeTimeout = TimeSpan.FromMilliseconds(200) };
    var probeT = new List<double>(); var checkT = new List<double>(); var scanT = new List<double>();
    int n = int.Parse(args[1]);
    for (int i = 0; i < n + 20; i++)
    {
        var sw = Stopwatch.StartNew();
        var segs = inv.Scan(new ShmQuery()).Segments;
        double a = sw.Elapsed.TotalMilliseconds;
        var unheld = segs.Where(x => x.Attachments.Count == 0).ToList();
        sw.Restart();
        SegmentProber.Probe(unheld, lo.ProbeTimeout);
        double b = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        new LivenessChecker(lo).Check(segs);
        double c = sw.Elapsed.TotalMilliseconds;
        if (i >= 20) { scanT.Add(a); probeT.Add(b); checkT.Add(c); }
    }
    double M(List<double> l) => l.Order().ElementAt(l.Count / 2);
    Console.WriteLine($"scan_ms={M(scanT):0.0} probe_ms={M(probeT):0.0} check_ms={M(checkT):0.0}");
    return;
}
if (args.Length > 0 && args[0] == "listing")
{
    // The /dev/shm listing alone, RUNS rounds, each timing: raw (getdents + statx, nothing kept),
    // list (PosixShmLister: entries made), sorted (list, then its sort and repeat check), and
    // sort (the sort and repeat check alone, over one listing's entries in the order they were read)
    // and resort (the same, given the order that sort gave, as a scan of an unchanged directory is).
    var root = ShmTools.Bench.OwnShm.Root();
    var filter = ShmTools.Bench.OwnShm.Everything;
    int n = int.Parse(args[1]);
    var names = new[] { "raw", "list", "sorted", "sort", "resort" };
    var first = new PosixListing(12000);
    PosixShmLister.List(root, filter, first);
    var unsorted = first.Entries.ToArray();
    first.SortAndDropRepeats();
    PosixListing Unsorted(int[]? order) { var l = new PosixListing(12000, order); l.Entries.AddRange(unsorted); return l; }
    var walls = names.Select(_ => new List<double>()).ToArray();
    void Raw()
    {
        int dfd = ShmTools.Core.Native.Posix.OpenDirectory("/dev/shm"); long sum = 0;
        ShmTools.Core.Native.Posix.ReadDirectory(dfd, (nameZ, type, ino) => { if (ShmTools.Core.Native.Posix.StatAt(dfd, nameZ, out var st) == 0) sum += st.SizeBytes; });
        ShmTools.Core.Native.Posix.Close(dfd); GC.KeepAlive(sum);
    }
    Action[] acts = [Raw, () => PosixShmLister.List(root, filter, new PosixListing(12000)), () => { var l = new PosixListing(12000); PosixShmLister.List(root, filter, l); l.SortAndDropRepeats(); }, () => Unsorted(null).SortAndDropRepeats(), () => Unsorted(first.Order).SortAndDropRepeats()];
    for (int i = 0; i < n + 20; i++)
        for (int k = 0; k < acts.Length; k++)
        {
            var sw = Stopwatch.StartNew();
            acts[k]();
            if (i >= 20) walls[k].Add(sw.Elapsed.TotalMilliseconds);
        }
    Console.WriteLine(string.Join(" ", names.Select((m, k) => $"{m}_median_ms={walls[k].Order().ElementAt(n / 2):0.00}")));
    return;
}
if (args.Length > 0 && args[0] == "plan")
{
    ShmTools.Bench.PlanBench.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "memory")
{
    // What a streamed scan keeps alive: after the /proc pass and the listing, and after every batch was made and let go.
    long MiB(long b) => b >> 20;
    long baseline = GC.GetTotalMemory(forceFullCollection: true);
    var scan = new ShmInventory().Begin(new ShmQuery());
    long afterPass = GC.GetTotalMemory(forceFullCollection: true);
    long made = 0, peakBatch = 0;
    for (int b = 0; b < scan.BatchCount; b++)
    {
        var batch = scan.Batch(b);
        made += batch.Count;
        if (b % 64 == 0) peakBatch = Math.Max(peakBatch, GC.GetTotalMemory(forceFullCollection: false));
    }
    long afterOutput = GC.GetTotalMemory(forceFullCollection: true);
    var whole = scan.ToResult();
    long wholeHeld = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"segments={made} live_baseline_mib={MiB(baseline)} live_after_pass_mib={MiB(afterPass)} live_after_streaming_mib={MiB(afterOutput)} " +
        $"live_with_every_segment_mib={MiB(wholeHeld)} bytes_per_segment_pass={(afterPass - baseline) / Math.Max(1, made)} bytes_per_segment_held={(wholeHeld - afterOutput) / Math.Max(1, whole.Segments.Count)}");
    GC.KeepAlive(scan);
    GC.KeepAlive(whole);
    return;
}
int runs = args.Length > 0 ? int.Parse(args[0]) : 15;
var ignore = args.Length > 1 && args[1].Length > 0 ? args[1].Split(',').Select(int.Parse).ToArray() : [];
var liveness = new LivenessOptions { IgnoreInvisible = ignore, ProbeTimeout = TimeSpan.FromMilliseconds(200) };
var inventory = new ShmInventory();
InventoryResult last = inventory.Scan(new ShmQuery());
IReadOnlyList<LivenessResult> verdicts = [];

const int Warmup = 40;

double Measure(string name, Action action)
{
    for (int i = 0; i < Warmup; i++) action(); // past tiered compilation: every method of a scan at tier 1
    var times = new List<double>();
    var cpu = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        var before = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        action();
        times.Add(sw.Elapsed.TotalMilliseconds);
        cpu.Add((Environment.CpuUsage.TotalTime - before).TotalMilliseconds);
    }
    times.Sort();
    cpu.Sort();
    Console.Write($"{name}_median_ms={times[times.Count / 2]:0.0} {name}_min_ms={times[0]:0.0} {name}_cpu_median_ms={cpu[cpu.Count / 2]:0.0} ");
    return times[times.Count / 2];
}

long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
var stages = new List<InventoryTimings>();
Measure("inventory", () =>
{
    last = inventory.Scan(new ShmQuery());
    stages.Add(last.Timings!);
});
double StageMedian(Func<InventoryTimings, TimeSpan> of) => stages.Skip(Warmup).Select(t => of(t).TotalMilliseconds).Order().ElementAt((stages.Count - Warmup) / 2);
Console.Write($"inventory_listing_median_ms={StageMedian(t => t.Listing):0.0} inventory_procpass_median_ms={StageMedian(t => t.ProcessPass):0.0} inventory_assembly_median_ms={StageMedian(t => t.Assembly):0.0} ");
int scans = runs + Warmup;
Console.Write($"inventory_alloc_mb={(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / scans / 1048576.0:0.0} " +
    $"inventory_gcs_per_scan={(GC.CollectionCount(0) - collectionsBefore[0]) / (double)scans:0.0}/{(GC.CollectionCount(1) - collectionsBefore[1]) / (double)scans:0.0}/{(GC.CollectionCount(2) - collectionsBefore[2]) / (double)scans:0.0} ");
Measure("check", () => verdicts = new LivenessChecker(liveness).Check(inventory.Scan(new ShmQuery()).Segments));
Measure("dryclean", () =>
{
    using var cleaner = new StaleSegmentCleaner(new CleanupOptions { Liveness = liveness });
    cleaner.Run(CleanupInput.Of(inventory.Scan(new ShmQuery()).Segments), CleanupApprover.PreviewAll);
});
int attached = last.Segments.Count(s => s.Attachments.Count > 0);
Console.WriteLine($"segments={last.Segments.Count} attached={attached} processes={last.ProcessesScanned} " +
    string.Join(" ", verdicts.GroupBy(v => v.Verdict).Select(g => $"{g.Key.ToString().ToLowerInvariant()}={g.Count()}")));
