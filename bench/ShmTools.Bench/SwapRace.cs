using System.Diagnostics;
using System.Text.Json;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Bench;

/// <summary>
/// The swap race (bench/cleanup/stress.py runs it in its own namespaces): each round a stale
/// segment is judged, then a racer (shm_stress swap) maps it and re-creates its name the moment
/// it disappears, while the cleanup removes it. Counts how each round ended: put back (the held
/// inode under its name), stranded and reported (the held inode under the reported quarantine
/// name), or wrong (a held segment unlinked, or reported put back when it was not).
/// Usage: swaprace ROUNDS SHM_STRESS_BINARY [DIR]
/// </summary>
public static class SwapRace
{
    public static void Run(string[] args)
    {
        int rounds = int.Parse(args[0]);
        string racerProgram = args[1];
        string dir = args.Length > 2 ? args[2] : "/dev/shm";
        var liveness = new LivenessOptions { ProbeTimeout = TimeSpan.FromMilliseconds(100) };
        int dead = DeadPid();
        int putBack = 0, stranded = 0, wrong = 0, removed = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < rounds; i++)
        {
            string name = $"torch_{dead}_2_{i}";
            string path = Path.Combine(dir, name);
            File.WriteAllBytes(path, new byte[4096]);
            var judged = new LivenessChecker(liveness).Check(new ShmInventory(new InventorySources { ShmDirectory = dir }).Scan(new ShmQuery { Names = [name] }).Segments);
            using var racer = Process.Start(new ProcessStartInfo(racerProgram, ["swap", path]) { RedirectStandardInput = true, RedirectStandardOutput = true })!;
            ulong held = JsonDocument.Parse(racer.StandardOutput.ReadLine()!).RootElement.GetProperty("inode").GetUInt64();
            using var cleaner = new StaleSegmentCleaner(new CleanupOptions { Liveness = liveness });
            var r = cleaner.Run(CleanupInput.Of(judged), CleanupApprover.ApproveAll).Records.Single();
            switch (r.Action)
            {
                case CleanupAction.Kept when Inode(path) == held: putBack++; break;
                case CleanupAction.Stranded when Inode(Path.Combine(dir, r.QuarantineName!)) == held && Inode(path) != held: stranded++; break;
                case CleanupAction.Removed: removed++; wrong++; break; // the racer held it all along
                default: wrong++; Console.Error.WriteLine($"round {i}: {r.Action} {r.Reason} {r.Error}"); break;
            }
            racer.StandardInput.Close();
            racer.WaitForExit();
            File.Delete(path);
            if (r.QuarantineName != null) File.Delete(Path.Combine(dir, r.QuarantineName));
        }
        Console.WriteLine($"swaprace_rounds={rounds} put_back={putBack} stranded_reported={stranded} wrong={wrong} removed_while_held={removed} seconds={clock.Elapsed.TotalSeconds:0.0}");
    }

    private static ulong Inode(string path) => Posix.Stat(path, followLinks: false, out var st) == 0 ? st.Inode : 0;

    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }
}
