namespace ShmTools.Core.Planning.Shapes;

/// <summary>One node as shape inference sees it: inputs (null for an absent optional one) and attributes.</summary>
public sealed class NodeContext(string name, string op, IReadOnlyList<TensorValue?> inputs, IReadOnlyDictionary<string, object> attributes, int outputs, long opset)
{
    public string Name { get; } = name;
    public string Op { get; } = op;
    public IReadOnlyList<TensorValue?> Inputs { get; } = inputs;
    public int OutputCount { get; } = outputs;
    public long Opset { get; } = opset;

    public TensorValue Input(int i) =>
        i < Inputs.Count && Inputs[i] is { } v ? v : throw Fail($"needs input {i}");

    public TensorValue? Optional(int i) => i < Inputs.Count ? Inputs[i] : null;

    public long Int(string attr, long fallback) => attributes.TryGetValue(attr, out var v) && v is long l ? l : fallback;
    public float Float(string attr, float fallback) => attributes.TryGetValue(attr, out var v) && v is float f ? f : fallback;
    public string? Text(string attr) => attributes.TryGetValue(attr, out var v) && v is string s ? s : null;
    public long[]? Ints(string attr) => attributes.TryGetValue(attr, out var v) && v is long[] l ? l : null;
    public float[]? Floats(string attr) => attributes.TryGetValue(attr, out var v) && v is float[] f ? f : null;
    public TensorValue? Tensor(string attr) => attributes.TryGetValue(attr, out var v) ? v as TensorValue : null;

    /// <summary>The values of a constant input (shape arithmetic); an error naming the node when they are not known.</summary>
    public long[] ConstInts(int i, string what) =>
        Input(i).Ints ?? Input(i).Floats?.Select(f => (long)f).ToArray() ?? throw Fail($"needs the values of its {what} input (input {i}) to know its output shape, and they are not constant");

    public ShapeInferenceException Fail(string why) => new($"node '{Name}' ({Op}): {why}");
}

public sealed class ShapeInferenceException(string message) : Exception(message);
