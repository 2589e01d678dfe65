namespace ShmTools.Tests.Support;

/// <summary>
/// Tests that measure the whole /dev/shm mount (its used bytes, every segment on it), or that race
/// an attacker against one probe (another test's check opens and locks every segment, which
/// starts the attack early): they run alone, after the parallel tests, so no other test's
/// segment or probe is in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeShmCollection
{
    public const string Name = "whole /dev/shm";
}
