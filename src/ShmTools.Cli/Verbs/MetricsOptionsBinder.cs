using System.CommandLine;
using ShmTools.Core.Capacity;
using ShmTools.Core.Gpu;
using ShmTools.Core.Metrics;

namespace ShmTools.Cli.Verbs;

/// <summary>The options <c>metrics</c> and <c>serve</c> share: what to scan and how many series to write.</summary>
public sealed class MetricsOptionsBinder
{
    private readonly Option<bool> _all = new("--all-namespaces") { Description = "Also every container's /dev/shm (other mount namespaces, through /proc/PID/root)." };
    private readonly Option<bool> _perSegment = new("--per-segment") { Description = "Also one series per segment (the largest, up to --segment-limit)." };
    private readonly Option<int> _segmentLimit = new("--segment-limit") { Description = "The most per-segment series (default 100).", DefaultValueFactory = _ => 100 };
    private readonly Option<bool> _noGpu = new("--no-gpu") { Description = "Do not read GPU memory." };
    private readonly Option<string?> _nvml = new("--nvml-library") { Description = "The NVML library to load (also SHMTOOLS_NVML_LIBRARY)." };
    private readonly Option<string[]> _hami = new("--hami-cache") { Description = "A HAMi-core region file or glob (repeatable).", Arity = ArgumentArity.OneOrMore };
    private readonly LivenessOptionsBinder _liveness = new();

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _all, _perSegment, _segmentLimit, _noGpu, _nvml, _hami }) command.Options.Add(o);
        _liveness.AddTo(command);
    }

    /// <param name="notify">Told as it happens when a scan waits for another check's or cleanup's turn.</param>
    public MetricsOptions Bind(ParseResult parse, Action<string>? notify = null)
    {
        int limit = parse.GetValue(_segmentLimit);
        if (limit < 0 || limit > 100_000) throw new UsageException($"--segment-limit {limit}: must be between 0 and 100000.");
        return new MetricsOptions
        {
            Usage = new UsageQuery { AllNamespaces = parse.GetValue(_all), Liveness = _liveness.Bind(parse), Notify = notify },
            PerSegment = parse.GetValue(_perSegment),
            SegmentSeriesLimit = limit,
            Gpu = !parse.GetValue(_noGpu),
            GpuQuery = new GpuQuery { NvmlLibrary = parse.GetValue(_nvml), HamiCaches = parse.GetValue(_hami) ?? [] },
        };
    }
}
