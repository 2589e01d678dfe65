namespace ShmTools.Core.Gpu;

/// <summary>Where to read GPU allocations from.</summary>
public enum GpuSource
{
    /// <summary>NVML if it loads, else nvidia-smi; HAMi regions whenever any is found.</summary>
    Auto,
    Nvml,
    NvidiaSmi,
    Hami,
}
