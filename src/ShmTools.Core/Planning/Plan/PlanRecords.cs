namespace ShmTools.Core.Planning.Plan;

/// <summary>Where one tensor lives on a device: its lifetime in the device's steps, its block and byte offset.</summary>
public sealed record TensorPlacement(string Name, IReadOnlyList<long> Shape, [property: System.Text.Json.Serialization.JsonPropertyName("dtype")] string DType, long Bytes, string Device,
    int FirstStep, int LastStep, int Block, long Offset)
{
    /// <summary>Bytes reserved for it (its size rounded up to the device's alignment).</summary>
    public long AlignedBytes { get; init; }

    /// <summary>The input whose memory an element-wise operator overwrote with this tensor, if any.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? InPlaceOf { get; init; }

    public override string ToString() => $"{Name} [{string.Join('x', Shape)}] {Text.ByteSize.Format(Bytes)} on {Device}, steps {FirstStep}-{LastStep}, block {Block} at {Offset}";
}

/// <summary>One reusable block of a device's target memory.</summary>
public sealed record MemoryBlock(int Index, long Offset, long Size, int Tensors)
{
    public override string ToString() => $"block {Index}: {Text.ByteSize.Format(Size)} at {Offset}, {Tensors} tensor(s)";
}

/// <summary>A run of consecutive operators on one device, cut into execution units (one per compute unit used).</summary>
public sealed record SubFunction(int Index, string Device, int Nodes, string FirstNode, string LastNode, int ExecutionUnits, int Steps)
{
    public override string ToString() => $"{Index}: {Nodes} node(s) {FirstNode}..{LastNode} on {Device}, {ExecutionUnits} unit(s), {Steps} step(s)";
}

/// <summary>A tensor produced on one device and consumed on another.</summary>
public sealed record Transfer(string Tensor, string From, string To, long Bytes)
{
    public override string ToString() => $"{Tensor}: {From} -> {To}, {Text.ByteSize.Format(Bytes)}";
}
