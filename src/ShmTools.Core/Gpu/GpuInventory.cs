using System.Globalization;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;

namespace ShmTools.Core.Gpu;

/// <summary>
/// Who holds GPU memory: devices and per-process allocations from NVML (or nvidia-smi when NVML
/// is missing) and from HAMi-core vGPU regions, each process mapped to its name, user, command
/// line, container and pod.
/// </summary>
public sealed class GpuInventory
{
    public GpuReport Read(GpuQuery query)
    {
        var devices = new List<GpuDevice>();
        var allocations = new List<GpuAllocation>();
        var warnings = new List<string>();
        var sources = new List<string>();
        var failures = new List<string>();
        var badNamedFiles = new List<Exception>();
        bool wantDriver = query.Source is GpuSource.Auto or GpuSource.Nvml or GpuSource.NvidiaSmi;

        if (query.Source is GpuSource.Auto or GpuSource.Nvml)
        {
            string path = query.NvmlLibrary ?? Environment.GetEnvironmentVariable("SHMTOOLS_NVML_LIBRARY")
                ?? (OperatingSystem.IsWindows() ? "nvml.dll" : "libnvidia-ml.so.1");
            try
            {
                ReadNvml(path, devices, allocations);
                sources.Add("nvml");
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or NvmlException or EntryPointNotFoundException)
            {
                string why = $"NVML ({path}): " + (ex is DllNotFoundException ? "the library is not installed or cannot be loaded" : FirstLine(ex.Message));
                if (query.Source == GpuSource.Nvml) throw new GpuUnavailableException(why, ex);
                failures.Add(why);
            }
        }
        if (query.Source == GpuSource.NvidiaSmi || (query.Source == GpuSource.Auto && !sources.Contains("nvml")))
        {
            string smi = query.NvidiaSmi ?? Environment.GetEnvironmentVariable("SHMTOOLS_NVIDIA_SMI") ?? "nvidia-smi";
            try
            {
                var (d, a) = NvidiaSmiReader.Read(smi);
                devices.AddRange(d);
                allocations.AddRange(a);
                sources.Add("nvidia-smi");
                if (failures.Count > 0) warnings.Add(failures[^1] + "; used nvidia-smi instead.");
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidDataException)
            {
                string why = $"nvidia-smi ({smi}): " + (ex is System.ComponentModel.Win32Exception { NativeErrorCode: 2 } ? "not found" : FirstLine(ex.Message));
                if (query.Source == GpuSource.NvidiaSmi) throw new GpuUnavailableException(why, ex);
                failures.Add(why);
            }
        }
        if (query.Source is GpuSource.Auto or GpuSource.Hami)
        {
            var paths = HamiPaths(query);
            foreach (var path in paths)
            {
                try
                {
                    allocations.AddRange(FromRegion(HamiRegionReader.Read(path), query.ProcRoot));
                    if (!sources.Contains("hami")) sources.Add("hami");
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    warnings.Add(ex.Message);
                    failures.Add("HAMi: " + ex.Message);
                    badNamedFiles.Add(ex);
                }
            }
            if (query.HamiCaches.Count == 0) badNamedFiles.Clear(); // found by looking, not named by the user
            if (paths.Count == 0) failures.Add("HAMi: no region file (looked at " + string.Join(", ", DefaultHamiPatterns()) + ")");
        }
        if (sources.Count == 0 && badNamedFiles.Count > 0)
            throw new GpuInputException(string.Join(" ", badNamedFiles.Select(e => e.Message)), badNamedFiles[0]);
        if (sources.Count == 0)
            throw new GpuUnavailableException("No GPU information from any source: " + string.Join("; ", failures) + ".");
        if (!wantDriver || !sources.Contains("nvml") && !sources.Contains("nvidia-smi"))
            foreach (var f in failures.Where(f => !f.StartsWith("HAMi", StringComparison.Ordinal))) warnings.Add(f);

        var table = new ProcessTable(query.ProcRoot);
        var enriched = allocations.Select(a => Enrich(a, table, query.ProcRoot)).OrderBy(a => a.DeviceIndex).ThenBy(a => a.ProcessId).ToList();
        var profiles = Profiles.ProfileCatalog.AllOrBuiltIn(out var profileProblem);
        if (profileProblem != null) warnings.Add(profileProblem);
        var named = devices.OrderBy(d => d.Index).Select(d => d with { Profile = Profiles.ProfileMatcher.Match(d.Name, profiles)?.Name }).ToList();
        return new GpuReport(named, enriched, warnings) { Sources = sources };
    }

    private static void ReadNvml(string path, List<GpuDevice> devices, List<GpuAllocation> allocations)
    {
        using var nvml = Nvml.Open(path);
        int count = nvml.DeviceCount();
        for (int i = 0; i < count; i++)
        {
            var h = nvml.Device(i);
            var (total, free, used, reserved) = nvml.Memory(h);
            string? uuid = nvml.Uuid(h);
            devices.Add(new GpuDevice
            {
                Index = i, Uuid = uuid, Name = nvml.Name(h), TotalBytes = (long)total, FreeBytes = (long)free, UsedBytes = (long)used,
                ReservedBytes = (long?)reserved, MigEnabled = nvml.MigEnabled(h), Source = "nvml",
            });
            var rows = new Dictionary<uint, GpuAllocation>();
            foreach (var (graphics, kind) in new[] { (false, "compute"), (true, "graphics") })
                foreach (var p in nvml.Processes(h, graphics))
                {
                    if (rows.TryGetValue(p.Pid, out var seen))
                        rows[p.Pid] = seen with { Kind = seen.Kind + "," + kind, UsedBytes = seen.UsedBytes ?? (long?)p.UsedBytes };
                    else
                        rows[p.Pid] = new GpuAllocation
                        {
                            DeviceIndex = i, DeviceUuid = uuid, ProcessId = (int)p.Pid, UsedBytes = (long?)p.UsedBytes,
                            Source = "nvml", Kind = kind, ProcessName = nvml.ProcessName(p.Pid),
                        };
                }
            allocations.AddRange(rows.Values);
        }
    }

    private static IEnumerable<GpuAllocation> FromRegion(HamiRegion region, string procRoot)
    {
        var (pod, _) = region.Owner;
        foreach (var slot in region.Slots)
        {
            bool stale = slot.HostPid > 0 && !Posix.ProcessExists(slot.HostPid);
            foreach (var u in slot.Usage)
            {
                if (u.TotalBytes == 0 && u.ContextBytes == 0 && u.DataBytes == 0 && u.ModuleBytes == 0) continue;
                long limit = u.Device < region.LimitBytes.Count ? region.LimitBytes[u.Device] : 0;
                yield return new GpuAllocation
                {
                    DeviceIndex = u.Device, DeviceUuid = u.Device < region.DeviceUuids.Count ? region.DeviceUuids[u.Device] : null,
                    ProcessId = slot.HostPid > 0 ? slot.HostPid : slot.Pid, ContainerPid = slot.Pid, UsedBytes = u.TotalBytes,
                    ContextBytes = u.ContextBytes, ModuleBytes = u.ModuleBytes, DataBytes = u.DataBytes,
                    Source = "hami", Kind = "vgpu", PodUid = pod, LimitBytes = limit > 0 ? limit : null, Stale = stale, Region = region.Path,
                };
            }
        }
    }

    private static GpuAllocation Enrich(GpuAllocation a, ProcessTable table, string procRoot)
    {
        // A HAMi slot without a host pid names a pid of the container's namespace: not ours to look up.
        bool hostPid = a.Source != "hami" || a.ContainerPid != a.ProcessId;
        var p = hostPid ? table.Get(a.ProcessId) : null;
        if (p == null) return a with { VisibleHere = false };
        string dir = procRoot + "/" + a.ProcessId.ToString(CultureInfo.InvariantCulture);
        string? cmdline = ReadText(dir + "/cmdline")?.Replace('\0', ' ').Trim();
        var id = ReadText(dir + "/cgroup") is { } cg ? ContainerIdentity.FromCgroup(cg) : default;
        return a with
        {
            VisibleHere = true, ProcessName = a.ProcessName ?? p.Name, User = p.User, CommandLine = string.IsNullOrEmpty(cmdline) ? null : cmdline,
            ContainerId = a.ContainerId ?? id.ContainerId, PodUid = a.PodUid ?? id.PodUid,
        };
    }

    private static string? ReadText(string path)
    {
        byte[] buf = new byte[4096];
        return Posix.ReadFile(path, ref buf, out int n) == 0 ? System.Text.Encoding.UTF8.GetString(buf, 0, n) : null;
    }

    public static IReadOnlyList<string> DefaultHamiPatterns()
    {
        var list = new List<string>();
        if (Environment.GetEnvironmentVariable("CUDA_DEVICE_MEMORY_SHARED_CACHE") is { Length: > 0 } env) list.Add(env);
        list.Add("/tmp/cudevshr.cache");
        list.Add("/usr/local/vgpu/containers/*/*.cache");
        return list;
    }

    private static List<string> HamiPaths(GpuQuery query)
    {
        var patterns = query.HamiCaches.Count > 0 ? query.HamiCaches : DefaultHamiPatterns();
        var found = new List<string>();
        foreach (var pattern in patterns)
        {
            if (!pattern.Contains('*') && !pattern.Contains('?'))
            {
                if (File.Exists(pattern) || query.HamiCaches.Count > 0) found.Add(pattern);
                continue;
            }
            found.AddRange(Expand(pattern));
        }
        return found.Distinct().ToList();
    }

    /// <summary>Expands a path whose components may hold wildcards (e.g. /usr/local/vgpu/containers/*/*.cache).</summary>
    private static IEnumerable<string> Expand(string pattern)
    {
        IEnumerable<string> current = [pattern.StartsWith('/') ? "/" : "."];
        foreach (var part in pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var glob = new Text.GlobPattern(part);
            current = current.SelectMany(dir =>
            {
                if (!glob.HasWildcards) return [Path.Combine(dir, part)];
                try
                {
                    return Directory.EnumerateFileSystemEntries(dir).Where(e => glob.IsMatch(Path.GetFileName(e)));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return [];
                }
            }).ToList();
        }
        return current.Where(File.Exists);
    }

    /// <summary>The first line of a runtime message, without its advice for developers.</summary>
    private static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n');
        return (nl < 0 ? message : message[..nl]).TrimEnd('\r', ' ', '.');
    }
}
