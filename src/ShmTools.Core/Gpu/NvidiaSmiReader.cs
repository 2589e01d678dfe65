using System.Diagnostics;
using System.Globalization;

namespace ShmTools.Core.Gpu;

/// <summary>The fallback when NVML cannot be loaded: nvidia-smi's CSV queries (memory in MiB).</summary>
public static class NvidiaSmiReader
{
    public const string GpuQuery = "--query-gpu=index,uuid,name,memory.total,memory.used --format=csv,noheader,nounits";
    public const string AppsQuery = "--query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits";

    public static (List<GpuDevice> Devices, List<GpuAllocation> Allocations) Read(string executable)
    {
        var devices = ParseDevices(Run(executable, GpuQuery), executable);
        var byUuid = devices.Where(d => d.Uuid != null).ToDictionary(d => d.Uuid!, d => d.Index);
        return (devices, ParseApps(Run(executable, AppsQuery), byUuid, executable));
    }

    public static List<GpuDevice> ParseDevices(string csv, string source)
    {
        var list = new List<GpuDevice>();
        int n = 0;
        foreach (var line in Lines(csv))
        {
            n++;
            var f = Fields(line);
            if (f.Length < 5 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                throw new InvalidDataException($"{source} --query-gpu, line {n}: expected 'index, uuid, name, memory.total, memory.used', got '{line}'.");
            long? total = MiB(f[3]), used = MiB(f[4]);
            list.Add(new GpuDevice
            {
                Index = index, Uuid = f[1], Name = f[2], TotalBytes = total, UsedBytes = used,
                FreeBytes = total - used, Source = "nvidia-smi",
            });
        }
        return list;
    }

    public static List<GpuAllocation> ParseApps(string csv, IReadOnlyDictionary<string, int> deviceByUuid, string source)
    {
        var list = new List<GpuAllocation>();
        int n = 0;
        foreach (var line in Lines(csv))
        {
            n++;
            var f = Fields(line);
            if (f.Length < 4 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                throw new InvalidDataException($"{source} --query-compute-apps, line {n}: expected 'pid, process_name, used_memory, gpu_uuid', got '{line}'.");
            // A process name may contain commas: the uuid is last, the memory before it.
            string uuid = f[^1], name = string.Join(", ", f[1..^2]);
            list.Add(new GpuAllocation
            {
                DeviceIndex = deviceByUuid.TryGetValue(uuid, out var d) ? d : -1, DeviceUuid = uuid, ProcessId = pid,
                ProcessName = name, UsedBytes = MiB(f[^2]), Source = "nvidia-smi", Kind = "compute",
            });
        }
        return list;
    }

    private static long? MiB(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m * 1024 * 1024 : null; // "[N/A]" -> null

    private static IEnumerable<string> Lines(string csv) =>
        csv.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string[] Fields(string line) => line.Split(',').Select(x => x.Trim()).ToArray();

    private static string Run(string executable, string arguments)
    {
        var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments.Split(' ')) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new IOException($"{executable} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(15_000))
        {
            p.Kill(true);
            throw new IOException($"{executable} {arguments.Split(' ')[0]} did not answer within 15 s");
        }
        if (p.ExitCode != 0) throw new IOException($"{executable} {arguments.Split(' ')[0]} exited with {p.ExitCode}: {stderr.Result.Trim()}");
        return stdout.Result;
    }
}
