using System.Diagnostics;
using System.Globalization;
using ShmTools.Core.Shm;

namespace ShmTools.Bench;

/// <summary>
/// What comes before a scan changes its time: each round times one scan after each of: another
/// scan, a 10 ms sleep, a spawn of /bin/true, and one run of the floor program. Prints the median
/// wall and CPU milliseconds of the scan after each. Arguments: ROUNDS FLOOR_PROGRAM
/// </summary>
internal static class GapBench
{
    public static void Run(string[] args)
    {
        int rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
        string floor = args[1];
        var inventory = new ShmInventory();
        for (int i = 0; i < 40; i++) inventory.Scan(new ShmQuery());
        void Spawn(string program, params string[] a)
        {
            using var p = Process.Start(new ProcessStartInfo(program, a) { RedirectStandardOutput = true })!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
        }
        var before = new (string Name, Action Act)[]
        {
            ("scan", () => inventory.Scan(new ShmQuery())),
            ("sleep", () => Thread.Sleep(10)),
            ("spin", () => { var s = Stopwatch.StartNew(); while (s.ElapsedMilliseconds < 10) { } }),
            ("true", () => Spawn("/bin/true")),
            ("floor", () => Spawn(floor, "-t", "2")),
        };
        var wall = before.Select(_ => new List<double>()).ToArray();
        var cpu = before.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int k = 0; k < before.Length; k++)
            {
                before[k].Act();
                var c0 = Environment.CpuUsage.TotalTime;
                var sw = Stopwatch.StartNew();
                inventory.Scan(new ShmQuery());
                wall[k].Add(sw.Elapsed.TotalMilliseconds);
                cpu[k].Add((Environment.CpuUsage.TotalTime - c0).TotalMilliseconds);
            }
        double M(List<double> x) => x.Order().ElementAt(x.Count / 2);
        Console.WriteLine(string.Join(" ", before.Select((b, k) => $"after_{b.Name}_ms={M(wall[k]):0.00}/{M(cpu[k]):0.00}")));
    }
}
