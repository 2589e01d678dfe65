namespace ShmTools.Core.Gpu;

/// <summary>HAMi-core region files the user named could not be read and nothing else answered: bad input, not a missing GPU. The message names each file and what is wrong.</summary>
public sealed class GpuInputException(string message, Exception? inner = null) : Exception(message, inner);
