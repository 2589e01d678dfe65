namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// A whole model's plan across its devices. <see cref="Model"/> is the model file's name (what
/// the user gave, so several plans tell apart), <see cref="Description"/> what the model says of
/// itself (an ONNX graph's name or doc string), when it says anything else.
/// </summary>
public sealed record MemoryPlan(string Model, string Strategy, IReadOnlyList<DevicePlan> Devices, IReadOnlyList<Transfer> Transfers)
{
    /// <summary>The model file as given (full path when it came through PowerShell).</summary>
    public string? ModelPath { get; init; }

    /// <summary>The model's own name or description, when it differs from the file name.</summary>
    public string? Description { get; init; }

    /// <summary>What the plan could not use and went on without (e.g. a broken file in the profile directory).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Profiles given that no operator was placed on, each with the reason.</summary>
    public IReadOnlyList<UnusedDevice> UnusedDevices { get; init; } = [];
}
