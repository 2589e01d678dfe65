using System.Diagnostics;
using System.Globalization;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Bench;

/// <summary>
/// The in-process inventory against the complete floor, side by side: each round runs the floor
/// program (its own wall and CPU, as it prints them) and then one scan, one scan with liveness and
/// one dry-run clean in this process, so a change in the machine's speed during the run falls on
/// both sides of every ratio alike. Prints key=value pairs: medians over the rounds of each
/// measure, and the median of the per-round ratios.
/// Arguments: ROUNDS FLOOR_PROGRAM [IGNORE_PIDS] [FLOOR_THREADS]; PAIRED_ONLY=inventory,check,dryclean
/// (any of them) times only those, PAIRED_GAP_MS=MS sleeps before every floor run and every measure.
/// </summary>
internal static class PairedBench
{
    private const int Warmup = 40;
    private static readonly int Gap = int.TryParse(Environment.GetEnvironmentVariable("PAIRED_GAP_MS"), out var ms) ? ms : 0;
    // More arguments for the floor program (PAIRED_FLOOR_ARGS="-q": its maps by PROCMAP_QUERY).
    private static readonly string[] FloorArgs = (Environment.GetEnvironmentVariable("PAIRED_FLOOR_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static void Run(string[] args)
    {
        int rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
        string floor = args[1];
        var ignore = args.Length > 2 && args[2].Length > 0 ? args[2].Split(',').Select(int.Parse).ToArray() : [];
        string threads = args.Length > 3 ? args[3] : "2";
        var liveness = new LivenessOptions { IgnoreInvisible = ignore, ProbeTimeout = TimeSpan.FromMilliseconds(200) };
        var inventory = new ShmInventory();

        InventoryResult last = inventory.Scan(new ShmQuery());
        IReadOnlyList<LivenessResult> verdicts = [];
        void Scan() => last = inventory.Scan(new ShmQuery());
        void Check() => verdicts = new LivenessChecker(liveness).Check(inventory.Scan(new ShmQuery()).Segments);
        void DryClean()
        {
            using var cleaner = new StaleSegmentCleaner(new CleanupOptions { Liveness = liveness });
            cleaner.Run(CleanupInput.Of(inventory.Scan(new ShmQuery()).Segments), CleanupApprover.PreviewAll);
        }
        for (int i = 0; i < Warmup; i++) { Scan(); Check(); DryClean(); }

        var floorWall = new List<double>();
        var floorCpu = new List<double>();
        var measures = new (string Name, Action Act, List<double> Wall, List<double> Cpu, List<double> Ratio, List<double> FloorWall)[]
        {
            ("inventory", Scan, [], [], [], []),
            ("check", Check, [], [], [], []),
            ("dryclean", DryClean, [], [], [], []),
        };
        if (Environment.GetEnvironmentVariable("PAIRED_ONLY") is { Length: > 0 } only)
            measures = measures.Where(m => only.Split(',').Contains(m.Name)).ToArray();
        var livenessAdds = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            foreach (var m in measures)
            {
                if (Gap > 0) Thread.Sleep(Gap);
                var (fw, fc) = RunFloor(floor, threads);
                if (m.Name == "inventory") { floorWall.Add(fw); floorCpu.Add(fc); }
                m.FloorWall.Add(fw);
                if (Gap > 0) Thread.Sleep(Gap);
                var before = Environment.CpuUsage.TotalTime;
                var sw = Stopwatch.StartNew();
                m.Act();
                double wall = sw.Elapsed.TotalSeconds;
                m.Wall.Add(wall);
                m.Cpu.Add((Environment.CpuUsage.TotalTime - before).TotalSeconds);
                m.Ratio.Add(wall / fw);
            }
            if (measures.Length == 3) livenessAdds.Add(measures[1].Wall[^1] / measures[0].Wall[^1] - 1);
        }
        var text = new List<string>
        {
            $"rounds={rounds}", $"floor_threads={threads}",
            $"floor_wall_s={Median(floorWall):0.0000}", $"floor_cpu_s={Median(floorCpu):0.0000}",
        };
        foreach (var m in measures)
        {
            text.Add($"{m.Name}_wall_s={Median(m.Wall):0.0000}");
            text.Add($"{m.Name}_min_s={m.Wall.Min():0.0000}");
            text.Add($"{m.Name}_cpu_s={Median(m.Cpu):0.0000}");
            text.Add($"{m.Name}_per_floor={Median(m.Ratio):0.000}");
            text.Add($"{m.Name}_floor_wall_s={Median(m.FloorWall):0.0000}");
        }
        if (livenessAdds.Count > 0) text.Add($"liveness_adds={Median(livenessAdds):0.000}");
        text.Add($"segments={last.Segments.Count} attached={last.Segments.Count(x => x.Attachments.Count > 0)} processes={last.ProcessesScanned}");
        text.AddRange(verdicts.GroupBy(v => v.Verdict).Select(g => $"{g.Key.ToString().ToLowerInvariant()}={g.Count()}"));
        Console.WriteLine(string.Join(" ", text));
    }

    /// <summary>One run of the floor program: the wall and CPU seconds it reports of itself.</summary>
    private static (double Wall, double Cpu) RunFloor(string program, string threads)
    {
        using var p = Process.Start(new ProcessStartInfo(program, ["-t", threads, .. FloorArgs]) { RedirectStandardOutput = true })!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} exited with {p.ExitCode}.");
        double Field(string key) =>
            double.Parse(output.Split(' ', StringSplitOptions.TrimEntries).First(f => f.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..], CultureInfo.InvariantCulture);
        return (Field("wall_s"), Field("cpu_s"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
