namespace ShmTools.Core.Gpu;

/// <summary>What to read, and from where.</summary>
public sealed record GpuQuery
{
    public GpuSource Source { get; init; } = GpuSource.Auto;
    /// <summary>The NVML library to load; default: SHMTOOLS_NVML_LIBRARY, then libnvidia-ml.so.1 (nvml.dll on Windows).</summary>
    public string? NvmlLibrary { get; init; }
    /// <summary>The nvidia-smi executable; default: SHMTOOLS_NVIDIA_SMI, then nvidia-smi on PATH.</summary>
    public string? NvidiaSmi { get; init; }
    /// <summary>HAMi region files or globs; default: CUDA_DEVICE_MEMORY_SHARED_CACHE, /tmp/cudevshr.cache, /usr/local/vgpu/containers/*/*.cache.</summary>
    public IReadOnlyList<string> HamiCaches { get; init; } = [];
    public string ProcRoot { get; init; } = "/proc";
}
