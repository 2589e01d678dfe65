namespace ShmTools.PowerShell.Tests.Support;

/// <summary>
/// Scenarios that keep the turn of checks and cleanups (the flock of /dev/shm) taken for seconds
/// from another process: they run alone, after the parallel tests, whose checks would otherwise
/// wait behind them (a stop test once found its check still waiting for the turn when it stopped
/// it, and not yet probing).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ShmTurnCollection
{
    public const string Name = "the /dev/shm turn";
}
