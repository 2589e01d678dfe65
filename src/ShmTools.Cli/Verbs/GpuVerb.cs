using System.CommandLine;
using ShmTools.Core.Gpu;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools gpu</c>: the twin of Get-GpuAllocation.</summary>
public static class GpuVerb
{
    public static Command Create(Option<bool> json)
    {
        var nvml = new Option<string?>("--nvml-library") { Description = "The NVML library to load (also SHMTOOLS_NVML_LIBRARY); default libnvidia-ml.so.1." };
        var smi = new Option<string?>("--nvidia-smi") { Description = "The nvidia-smi executable for the fallback (also SHMTOOLS_NVIDIA_SMI)." };
        var hami = new Option<string[]>("--hami-cache") { Description = "A HAMi-core region file or glob (repeatable); default: $CUDA_DEVICE_MEMORY_SHARED_CACHE, /tmp/cudevshr.cache, /usr/local/vgpu/containers/*/*.cache.", Arity = ArgumentArity.OneOrMore };
        var source = new Option<string>("--source") { Description = EnumWords.List<GpuSource>() + ".", DefaultValueFactory = _ => EnumWords.Word(GpuSource.Auto) };
        var command = new Command("gpu", "GPU memory per device and per process (NVML, nvidia-smi, HAMi-core vGPU regions).");
        foreach (var o in new Option[] { nvml, smi, hami, source }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var query = new GpuQuery
            {
                Source = EnumWords.TryParse<GpuSource>(parse.GetValue(source), out var chosen) ? chosen
                    : throw new UsageException($"--source {parse.GetValue(source)}: not a source ({EnumWords.List<GpuSource>()})."),
                NvmlLibrary = parse.GetValue(nvml),
                NvidiaSmi = parse.GetValue(smi),
                HamiCaches = parse.GetValue(hami) ?? [],
            };
            var report = new GpuInventory().Read(query);
            foreach (var w in report.Warnings) Console.Error.WriteLine("warning: " + w);
            if (parse.GetValue(json))
                JsonOutput.Write(report, CliJsonContext.Default.GpuReport);
            else
                Console.Out.Write(Render(report));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Render(GpuReport r) =>
        Output.Table(["GPU", "NAME", "USED", "TOTAL", "MIG", "SOURCE"], r.Devices.Select(d => (IReadOnlyList<string>)
            [d.Index.ToString(), d.Name ?? "?", Size(d.UsedBytes), Size(d.TotalBytes), d.MigEnabled switch { true => "on", false => "off", _ => "-" }, d.Source]),
            new HashSet<int> { 2, 3 })
        + "\n" +
        Output.Table(["GPU", "PID", "USED", "LIMIT", "USER", "CONTAINER", "POD", "SOURCE", "PROCESS"], r.Allocations.Select(a => (IReadOnlyList<string>)
            [a.DeviceIndex.ToString(), a.ProcessId + (a.VisibleHere ? "" : "*") + (a.Stale ? " stale" : ""), Size(a.UsedBytes), Size(a.LimitBytes),
             a.User ?? "-", a.ContainerId?[..12] ?? "-", a.PodUid ?? "-", a.Source, a.ProcessName ?? "?"]),
            new HashSet<int> { 2, 3 })
        + (r.Allocations.Any(a => !a.VisibleHere) ? "* not a process of this pid namespace (e.g. a host pid seen from a container)\n" : "");

    private static string Size(long? bytes) => bytes is { } b ? ByteSize.Format(b) : "n/a";
}
