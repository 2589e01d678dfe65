namespace ShmTools.Tests.Support;

/// <summary>
/// Tests that measure the whole /dev/shm mount (its used bytes, every segment on it): they run
/// alone, after the parallel tests, so no other test's segment is counted in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeShmCollection
{
    public const string Name = "whole /dev/shm";
}
