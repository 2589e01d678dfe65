namespace ShmTools.Core.Gpu;

/// <summary>No source could be read: no NVML, no nvidia-smi, no HAMi region (or the one asked for failed).</summary>
public sealed class GpuUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
