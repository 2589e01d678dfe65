namespace ShmTools.Core.Planning.Plan;

/// <summary>A whole model's plan across its devices.</summary>
public sealed record MemoryPlan(string Model, string Strategy, IReadOnlyList<DevicePlan> Devices, IReadOnlyList<Transfer> Transfers)
{
    /// <summary>Profiles given that no operator was placed on, each with the reason.</summary>
    public IReadOnlyList<UnusedDevice> UnusedDevices { get; init; } = [];
}
