using System.Diagnostics;
using ShmTools.Core.Planning.Buffers;
using ShmTools.Core.Planning.Exact;

namespace ShmTools.Bench;

/// <summary>
/// Exact-solver figures on buffer lists at their capacity (the MiniMalloc benchmarks): per
/// instance, buffers, lower bound, greedy peak, solved or not, peak, and the median time of 3 runs
/// (arguments: directory of CSV files, time limit in seconds, runs).
/// </summary>
public static class ExactBench
{
    public static void Run(string[] args)
    {
        long capacity = 1_048_576;
        var timeLimit = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
        string dir = args.Length > 0 ? args[0] : "bench/data/minimalloc/asplos2024";
        int runs = args.Length > 2 ? int.Parse(args[2]) : 3;
        Console.WriteLine($"Exact placement at capacity {capacity:N0} (time limit {timeLimit.TotalSeconds} s; median of {runs} runs)");
        Console.WriteLine($"{"instance",-10} {"buffers",8} {"lower bound",12} {"greedy/cap",10} {"solved",7} {"peak",10} {"median s",9} {"cpu s",9} {"nodes",10}");
        Console.WriteLine($"(load average now {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores; cpu s = CPU time the process used)");
        foreach (var file in Directory.GetFiles(dir, "*.csv").OrderBy(f => f, StringComparer.Ordinal))
        {
            var buffers = BufferListReader.Read(file);
            var p = PlacementProblem.FromIntervals(buffers.Select(b => b.Lower).ToList(), buffers.Select(b => b.Upper).ToList(), buffers.Select(b => b.Size).ToList());
            var greedy = GreedyPlacement.BySize(p);
            var times = new List<double>();
            var cpu = new List<double>();
            ExactSolution? last = null;
            for (int run = 0; run < runs; run++)
            {
                var sw = Stopwatch.StartNew();
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                last = ExactPlacementSolver.Solve(p, greedy, timeLimit, capacity);
                times.Add(sw.Elapsed.TotalSeconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
            }
            times.Sort();
            cpu.Sort();
            int mid = (runs - 1) / 2;
            bool solved = last!.CapacityOutcome == PackOutcome.Found;
            Console.WriteLine($"{Path.GetFileNameWithoutExtension(file),-10} {p.Count,8} {p.LowerBound(),12:N0} {p.PeakOf(greedy) / (double)capacity,10:0.000} {(solved ? "yes" : last.CapacityOutcome == PackOutcome.Infeasible ? "no (proven)" : "no"),7} {last.Peak,10:N0} {times[mid],9:0.000} {cpu[mid],9:0.000} {last.Nodes,10:N0}");
        }
    }
}
