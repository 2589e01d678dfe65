namespace ShmTools.Core.Planning.Graph;

/// <summary>One operator: its activation inputs (by name), its outputs, and the static bytes it reads (weights).</summary>
public sealed record GraphNode(string Name, string Op, IReadOnlyList<string> Inputs, IReadOnlyList<TensorInfo> Outputs, long WeightsBytes = 0);
