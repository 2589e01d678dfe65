using System.Diagnostics;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Bench;

/// <summary>
/// Planner figures from one run: quality on real models (peak / lower bound per strategy, naive /
/// peak) and planning time on synthetic graphs from 1,000 to 100,000 tensors.
/// </summary>
public static class PlanBench
{
    public static void Run(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : ".cache/models/package/assets";
        var cpu = ProfileCatalog.Resolve("cpu");
        Console.WriteLine("Quality (one CPU profile: 8 compute units, 64-byte alignment; ratios are peak / lower bound)");
        Console.WriteLine($"{"model",-36} {"input",-12} {"lower bound",12} {"use-count",10} {"+in-place",10} {"greedy-size",11} {"auto",7} {"optimal",8} {"exact s",8} {"naive/peak",10}");
        var models = new List<(string Name, string Input, Func<ModelGraph> Load)>();
        foreach (var (file, shape) in new[]
        {
            ("ch_PP-OCRv4_det_infer.onnx", "x=1,3,640,640"), ("ch_PP-OCRv4_rec_infer.onnx", "x=1,3,48,320"), ("ch_ppocr_mobile_v2.0_cls_infer.onnx", "x=1,3,48,192"),
        })
        {
            var (name, dims) = ModelLoader.ParseInputShape(shape);
            models.Add((file, shape[2..], () => ModelLoader.Load(Path.Combine(dir, file), new Dictionary<string, long[]> { [name] = dims })));
        }
        models.Add(("MobileNetV2 (layer table graph)", "1,3,224,224", () => MobileNetV2Graph.Build()));
        foreach (var (file, input, load) in models)
        {
            var graph = load();
            var d = MemoryPlanner.Plan(graph, cpu, timeLimit: TimeSpan.FromSeconds(10)).Devices[0];
            double Ratio(string s) => d.PeakByStrategy[s] / (double)d.LowerBoundBytes;
            Console.WriteLine($"{file,-36} {input,-12} {d.LowerBoundBytes,12:N0} {Ratio("use-count"),10:0.000} {Ratio("use-count-in-place"),10:0.000} {Ratio("greedy-by-size"),11:0.000} {d.PeakOverLowerBound,7:0.000} {(d.ProvenOptimal ? "proven" : "no"),8} {d.ExactSeconds,8:0.000} {d.NaiveOverPeak,10:0.0}");
            if (d.PeakBytes > d.LowerBoundBytes)
                Console.WriteLine($"  {(d.ProvenOptimal ? "no placement at the lower bound exists (exhausted search); optimum" : "best found; proven floor")} {d.ProvenFloorBytes:N0}");
        }
        Console.WriteLine();
        Console.WriteLine("Speed (synthetic residual graphs; auto = use-count, use-count with in-place, greedy by size, greedy by breadth, then the exact stage within its 1 s default; exact given 1 s; median of 3)");
        Console.WriteLine($"{"tensors",8} {"use-count ms",13} {"greedy-size ms",15} {"auto ms",8} {"exact ms",9} {"exact stage s",14} {"peak/lb",8}");
        foreach (int n in new[] { 1_000, 10_000, 30_000, 100_000 })
        {
            var graph = Synthetic(n, seed: 42);
            double Time(PlanStrategy s)
            {
                var times = new List<double>();
                for (int i = 0; i < 3; i++)
                {
                    var sw = Stopwatch.StartNew();
                    MemoryPlanner.Plan(graph, cpu, s, timeLimit: s == PlanStrategy.Exact ? TimeSpan.FromSeconds(1) : null);
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                return times[1];
            }
            var auto = MemoryPlanner.Plan(graph, cpu).Devices[0];
            Console.WriteLine($"{n,8:N0} {Time(PlanStrategy.UseCount),13:0} {Time(PlanStrategy.GreedyBySize),15:0} {Time(PlanStrategy.Auto),8:0} {Time(PlanStrategy.Exact),9:0} {auto.ExactSeconds,14:0.000} {auto.PeakOverLowerBound,8:0.000}");
        }
        RandomGraphs(cpu);
    }

    /// <summary>
    /// The exact stage on random graphs where greedy placement stays above the bound: each node
    /// reads one to three of the last 50 tensors, sizes 1-64 KiB. Prints auto's wall and CPU time
    /// (heuristics plus the exact stage within its default 1 s) and exact with a 1 s limit.
    /// </summary>
    public static void RandomGraphs(IReadOnlyList<DeviceProfile> cpu)
    {
        Console.WriteLine();
        Console.WriteLine("Random graphs (reads among the last 50 tensors, 1-64 KiB): the exact stage and its time limit");
        Console.WriteLine($"{"tensors",8} {"greedy/lb",10} {"auto/lb",8} {"proven",7} {"exact stage s",14} {"auto wall s",12} {"auto cpu s",11} {"exact 1s: stage s",18}");
        foreach (int n in new[] { 1_000, 10_000, 100_000 })
        {
            var graph = RandomGraph(n, seed: 11);
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var d = MemoryPlanner.Plan(graph, cpu).Devices[0];
            double wall = sw.Elapsed.TotalSeconds, used = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
            var e = MemoryPlanner.Plan(graph, cpu, PlanStrategy.Exact, timeLimit: TimeSpan.FromSeconds(1)).Devices[0];
            Console.WriteLine($"{n,8:N0} {d.PeakByStrategy["greedy-by-size"] / (double)d.LowerBoundBytes,10:0.000} {d.PeakOverLowerBound,8:0.000} {(d.ProvenOptimal ? "yes" : "no"),7} {d.ExactSeconds,14:0.000} {wall,12:0.000} {used,11:0.000} {e.ExactSeconds,18:0.000}");
        }
    }

    public static ModelGraph RandomGraph(int tensors, int seed)
    {
        var rng = new Random(seed);
        var inputs = new List<TensorInfo> { new("in", [1, 16, 32, 32], DataType.Float32) };
        var names = new List<string> { "in" };
        var nodes = new List<GraphNode>(tensors);
        for (int i = 1; i < tensors; i++)
        {
            var ins = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => names[Math.Max(0, names.Count - 1 - rng.Next(0, 50))]).Distinct().ToList();
            var o = new TensorInfo("t" + i, [rng.Next(1, 65) * 1024], DataType.UInt8);
            nodes.Add(new GraphNode("n" + i, "Op", ins, [o]));
            names.Add(o.Name);
        }
        return new ModelGraph("random", inputs, nodes, [names[^1]], 0);
    }

    /// <summary>A residual network's shape: a chain where every fourth node also reads a tensor 2-12 steps back.</summary>
    public static ModelGraph Synthetic(int tensors, int seed)
    {
        var rng = new Random(seed);
        var inputs = new List<TensorInfo> { new("in", [1, 64, 56, 56], DataType.Float32) };
        var names = new List<string> { "in" };
        var nodes = new List<GraphNode>(tensors);
        for (int i = 1; i < tensors; i++)
        {
            var ins = new List<string> { names[^1] };
            if (i % 4 == 0 && names.Count > 12) ins.Add(names[names.Count - rng.Next(2, 12)]);
            long channels = 16L << rng.Next(0, 5), side = 7L << rng.Next(0, 4);
            var o = new TensorInfo("t" + i, [1, channels, side, side], DataType.Float32);
            nodes.Add(new GraphNode("n" + i, i % 4 == 0 ? "Add" : "Conv", ins.Distinct().ToList(), [o]));
            names.Add(o.Name);
        }
        return new ModelGraph("synthetic", inputs, nodes, [names[^1]], 0);
    }
}
