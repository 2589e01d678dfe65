namespace ShmTools.Core.Planning.Plan;

/// <summary>A profile the plan was given but put no operator on, and why.</summary>
public sealed record UnusedDevice(string Name, string Reason)
{
    public override string ToString() => $"{Name}: {Reason}";
}
