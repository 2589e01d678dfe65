namespace ShmTools.Core.Planning.Plan;

/// <summary>A tensor to place: aligned size and the steps it is alive (inclusive), plus its use count.</summary>
public sealed record Lifetime(int Id, string Name, long Size, int First, int Last, int Uses, int Producer);
