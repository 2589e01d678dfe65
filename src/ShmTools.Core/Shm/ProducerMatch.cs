namespace ShmTools.Core.Shm;

/// <summary>The producer a name belongs to, and the creator pid the name carries, if any.</summary>
public readonly record struct ProducerMatch(string Producer, int? Pid);
