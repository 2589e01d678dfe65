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

    /// <summary>
    /// An axis attribute or value as an index into a tensor of <paramref name="rank"/> dimensions
    /// (negative counts from the end; <paramref name="orEnd"/> also allows <c>rank</c> itself, as
    /// Flatten does); out of range is an error naming the node, never a truncated index.
    /// </summary>
    public int Axis(long axis, int rank, string what = "axis", bool orEnd = false)
    {
        int limit = orEnd ? rank + 1 : rank;
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= limit) throw Fail($"{what} {axis} is out of range for a tensor of rank {rank} (valid: {-rank}..{limit - 1})");
        return (int)a;
    }

    /// <summary>Checks that every value of an attribute such as strides or dilations is at least 1.</summary>
    public long[] AtLeastOne(long[] values, string attr)
    {
        foreach (var v in values)
            if (v < 1) throw Fail($"{attr} [{string.Join(",", values)}] must all be 1 or more");
        return values;
    }

    public ShapeInferenceException Fail(string why) => new($"node '{Name}' ({Op}): {why}");
}

public sealed class ShapeInferenceException(string message) : Exception(message);
