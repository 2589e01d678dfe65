namespace ShmTools.Tests.Support;

/// <summary>
/// Tests that measure or judge the whole /dev/shm mount (its used bytes, every segment on it: a
/// metrics scan opens and locks every segment for a moment, which other tests would see as a
/// holder), that race an attacker against one probe, or that a parallel test's fork would disturb
/// (a forked child holds copies of this process's descriptors until it execs): they run alone,
/// after the parallel tests, so no other test's segment or probe is in their figures and theirs
/// in no other's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeShmCollection
{
    public const string Name = "whole /dev/shm";
}
