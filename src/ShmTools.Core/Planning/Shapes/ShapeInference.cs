using ShmTools.Core.Planning.Graph;

namespace ShmTools.Core.Planning.Shapes;

/// <summary>
/// Output shapes (and small constant values) of the operators of common CNNs and transformers,
/// with the constant folding that exported shape arithmetic needs (Shape, Gather, Slice, Concat,
/// Cast, Unsqueeze, arithmetic on small integer tensors). An unknown operator is an error naming
/// the node.
/// </summary>
public static class ShapeInference
{
    private static readonly HashSet<string> SameShape = new(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Clip", "Sqrt", "Exp", "Log", "Tanh", "Neg", "Abs", "Erf", "Identity",
        "LeakyRelu", "Softmax", "LogSoftmax", "BatchNormalization", "LayerNormalization", "InstanceNormalization", "Not",
        "Floor", "Ceil", "Reciprocal", "Softplus", "Mish", "Gelu", "Sin", "Cos", "Round", "Sign", "Elu", "Selu", "PRelu",
        "Dropout", "LpNormalization", "Swish", "Celu", "ThresholdedRelu", "Softsign", "HardMax", "Hardmax",
    };

    private static readonly HashSet<string> Broadcast = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mod", "Sum", "Mean", "Equal", "Less", "Greater", "LessOrEqual",
        "GreaterOrEqual", "And", "Or", "Xor", "BitShift", "Where",
    };

    /// <summary>No operator output has more dimensions than this.</summary>
    public const int MaxRank = 64;

    public static TensorValue[] Infer(NodeContext n)
    {
        if (n.Inputs.All(i => i == null)) throw n.Fail("has no inputs");
        string op = n.Op;
        if (SameShape.Contains(op)) return Many(n, Same(n));
        if (Broadcast.Contains(op)) return [Broadcasting(n)];
        return op switch
        {
            "Cast" => [Cast(n)],
            "Conv" => [Conv(n, transpose: false)],
            "ConvTranspose" => [Conv(n, transpose: true)],
            "MaxPool" or "AveragePool" or "LpPool" => Many(n, Pool(n)),
            "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool" => [new TensorValue([n.Input(0).Shape[0], n.Input(0).Shape[1], .. Enumerable.Repeat(1L, n.Input(0).Shape.Length - 2)], n.Input(0).DType)],
            "Gemm" => [Gemm(n)],
            "MatMul" => [MatMul(n)],
            "Flatten" => [Flatten(n)],
            "Reshape" => [Reshape(n)],
            "Transpose" => [Transpose(n)],
            "Concat" => [Concat(n)],
            "Split" => Split(n),
            "Slice" => [Slice(n)],
            "Squeeze" => [Squeeze(n)],
            "Unsqueeze" => [Unsqueeze(n)],
            "Resize" or "Upsample" => [Resize(n)],
            "Pad" => [Pad(n)],
            "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL2" or "ReduceL1" or "ReduceSumSquare" or "ReduceLogSumExp" => [Reduce(n)],
            "ArgMax" or "ArgMin" => [Reduce(n) with { DType = DataType.Int64 }],
            "Shape" => [ShapeOf(n)],
            "Size" => [new TensorValue([], DataType.Int64, [n.Input(0).Count])],
            "Gather" => [Gather(n)],
            "ConstantOfShape" => [ConstantOfShape(n)],
            "Expand" => [Expand(n)],
            "Tile" => [Tile(n)],
            "Range" => [Range(n)],
            _ => throw n.Fail("operator not supported by shape inference; give the model value_info for its outputs"),
        };
    }

    private static TensorValue[] Many(NodeContext n, TensorValue first) =>
        [first, .. Enumerable.Range(1, Math.Max(0, n.OutputCount - 1)).Select(_ => first with { Ints = null, Floats = null })];

    private static TensorValue Same(NodeContext n)
    {
        var x = n.Input(0);
        return new TensorValue(x.Shape, x.DType, n.Op == "Identity" ? x.Ints : null, n.Op == "Identity" ? x.Floats : null);
    }

    private static TensorValue Cast(NodeContext n)
    {
        var x = n.Input(0);
        var to = DataTypes.FromOnnx((int)n.Int("to", 1)) ?? throw n.Fail($"casts to an unknown type {n.Int("to", 1)}");
        bool toInt = to is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.UInt8 or DataType.Bool;
        return new TensorValue(x.Shape, to, toInt ? x.Ints ?? x.Floats?.Select(f => (long)f).ToArray() : null, toInt ? null : x.Numbers);
    }

    internal static long[] BroadcastShapes(NodeContext n, IEnumerable<long[]> shapes)
    {
        var list = shapes.ToList();
        int rank = list.Max(s => s.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long d = 1;
            foreach (var s in list)
            {
                int j = i - (rank - s.Length);
                if (j < 0) continue;
                long v = s[j];
                if (v == 1) continue;
                if (d != 1 && d != v) throw n.Fail($"cannot broadcast shapes {string.Join(" and ", list.Select(x => "[" + string.Join(",", x) + "]"))}");
                d = v;
            }
            result[i] = d;
        }
        return result;
    }

    private static TensorValue Broadcasting(NodeContext n)
    {
        var inputs = n.Inputs.Where(i => i != null).Cast<TensorValue>().ToList();
        var shape = BroadcastShapes(n, inputs.Select(i => i.Shape));
        var dtype = n.Op is "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "And" or "Or" or "Xor" ? DataType.Bool
            : n.Op == "Where" ? inputs[1].DType : inputs[0].DType;
        long[]? ints = null;
        if (inputs.Count == 2 && inputs.All(i => i.Ints != null) && n.Op is "Add" or "Sub" or "Mul" or "Div" && Count(shape) <= 64)
        {
            var a = Expand(inputs[0].Ints!, inputs[0].Shape, shape);
            var b = Expand(inputs[1].Ints!, inputs[1].Shape, shape);
            ints = a.Zip(b, (x, y) => n.Op switch { "Add" => x + y, "Sub" => x - y, "Mul" => x * y, _ => y == 0 ? 0 : x / y }).ToArray();
        }
        return new TensorValue(shape, dtype, ints);
    }

    private static long[] Expand(long[] values, long[] from, long[] to)
    {
        long total = Count(to);
        if (values.Length == total) return values;
        if (values.Length == 1) return Enumerable.Repeat(values[0], (int)total).ToArray();
        // general broadcast of a small tensor
        var result = new long[total];
        var idx = new long[to.Length];
        for (long k = 0; k < total; k++)
        {
            long rem = k, src = 0, mul = 1;
            for (int d = to.Length - 1; d >= 0; d--) { idx[d] = rem % to[d]; rem /= to[d]; }
            for (int d = from.Length - 1; d >= 0; d--)
            {
                int td = d + (to.Length - from.Length);
                src += (from[d] == 1 ? 0 : idx[td]) * mul;
                mul *= from[d];
            }
            result[k] = values[src];
        }
        return result;
    }

    private static long Count(long[] shape)
    {
        long c = 1;
        foreach (var d in shape) c = checked(c * d);
        return c;
    }

    private static TensorValue Conv(NodeContext n, bool transpose)
    {
        var x = n.Input(0);
        var w = n.Input(1);
        if (x.Shape.Length < 3) throw n.Fail($"input must have rank 3 or more, has shape [{string.Join(",", x.Shape)}]");
        int spatial = x.Shape.Length - 2;
        var kernel = n.Ints("kernel_shape") ?? w.Shape[2..];
        var strides = n.AtLeastOne(n.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray(), "strides");
        var dil = n.AtLeastOne(n.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray(), "dilations");
        var pads = n.Ints("pads") ?? new long[spatial * 2];
        string autoPad = n.Text("auto_pad") ?? "NOTSET";
        long group = n.Int("group", 1);
        if (group < 1) throw n.Fail($"group {group} must be 1 or more");
        var shape = new long[x.Shape.Length];
        shape[0] = x.Shape[0];
        shape[1] = transpose ? w.Shape[1] * group : w.Shape[0];
        var outputShape = n.Ints("output_shape");
        var outPad = n.Ints("output_padding") ?? new long[spatial];
        for (int i = 0; i < spatial; i++)
        {
            long input = x.Shape[i + 2], k = (kernel[i] - 1) * dil[i] + 1;
            if (transpose)
                shape[i + 2] = outputShape != null ? outputShape[^(spatial - i)]
                    : autoPad.StartsWith("SAME", StringComparison.Ordinal) ? input * strides[i]
                    : strides[i] * (input - 1) + outPad[i] + k - pads[i] - pads[i + spatial];
            else
                shape[i + 2] = autoPad.StartsWith("SAME", StringComparison.Ordinal) ? (input + strides[i] - 1) / strides[i]
                    : autoPad == "VALID" ? (input - k) / strides[i] + 1
                    : (input + pads[i] + pads[i + spatial] - k) / strides[i] + 1;
            if (shape[i + 2] <= 0) throw n.Fail($"output dimension {i + 2} would be {shape[i + 2]} (input [{string.Join(",", x.Shape)}] too small for the kernel)");
        }
        return new TensorValue(shape, x.DType);
    }

    private static TensorValue Pool(NodeContext n)
    {
        var x = n.Input(0);
        if (x.Shape.Length < 3) throw n.Fail($"input must have rank 3 or more, has shape [{string.Join(",", x.Shape)}]");
        int spatial = x.Shape.Length - 2;
        var kernel = n.Ints("kernel_shape") ?? throw n.Fail("has no kernel_shape");
        var strides = n.AtLeastOne(n.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray(), "strides");
        var dil = n.AtLeastOne(n.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray(), "dilations");
        var pads = n.Ints("pads") ?? new long[spatial * 2];
        string autoPad = n.Text("auto_pad") ?? "NOTSET";
        bool ceil = n.Int("ceil_mode", 0) == 1;
        var shape = (long[])x.Shape.Clone();
        for (int i = 0; i < spatial; i++)
        {
            long input = x.Shape[i + 2], k = (kernel[i] - 1) * dil[i] + 1;
            if (autoPad.StartsWith("SAME", StringComparison.Ordinal)) { shape[i + 2] = (input + strides[i] - 1) / strides[i]; continue; }
            long span = autoPad == "VALID" ? input - k : input + pads[i] + pads[i + spatial] - k;
            shape[i + 2] = (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1;
            if (shape[i + 2] <= 0) throw n.Fail($"output dimension {i + 2} would be {shape[i + 2]}");
        }
        return new TensorValue(shape, x.DType);
    }

    private static TensorValue Gemm(NodeContext n)
    {
        var a = n.Input(0).Shape;
        var b = n.Input(1).Shape;
        long m = n.Int("transA", 0) == 1 ? a[1] : a[0];
        long nn = n.Int("transB", 0) == 1 ? b[0] : b[1];
        return new TensorValue([m, nn], n.Input(0).DType);
    }

    private static TensorValue MatMul(NodeContext n)
    {
        var a = n.Input(0).Shape;
        var b = n.Input(1).Shape;
        var a2 = a.Length == 1 ? new[] { 1L, a[0] } : a;
        var b2 = b.Length == 1 ? new[] { b[0], 1L } : b;
        if (a2[^1] != b2[^2]) throw n.Fail($"inner dimensions differ: [{string.Join(",", a)}] x [{string.Join(",", b)}]");
        var batch = BroadcastShapes(n, [a2[..^2], b2[..^2]]);
        var shape = new List<long>(batch);
        if (a.Length > 1) shape.Add(a2[^2]);
        if (b.Length > 1) shape.Add(b2[^1]);
        return new TensorValue(shape.ToArray(), n.Input(0).DType);
    }

    private static TensorValue Flatten(NodeContext n)
    {
        var x = n.Input(0).Shape;
        int axis = n.Axis(n.Int("axis", 1), x.Length, orEnd: true);
        return new TensorValue([Count(x[..axis]), Count(x[axis..])], n.Input(0).DType);
    }

    private static TensorValue Reshape(NodeContext n)
    {
        var x = n.Input(0);
        var target = (long[])(n.Opset >= 5 || n.Ints("shape") == null ? n.ConstInts(1, "shape") : n.Ints("shape")!).Clone();
        bool allowZero = n.Int("allowzero", 0) == 1;
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == 0 && !allowZero) target[i] = x.Shape[i];
            if (target[i] == -1) { if (infer >= 0) throw n.Fail("shape has two -1 entries"); infer = i; }
            else known = checked(known * target[i]);
        }
        if (infer >= 0) target[infer] = known == 0 ? 0 : x.Count / known;
        if (Count(target) != x.Count) throw n.Fail($"cannot reshape [{string.Join(",", x.Shape)}] to [{string.Join(",", target)}]");
        return new TensorValue(target, x.DType, x.Ints, x.Floats);
    }

    private static TensorValue Transpose(NodeContext n)
    {
        var x = n.Input(0);
        var perm = n.Ints("perm") ?? Enumerable.Range(0, x.Shape.Length).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != x.Shape.Length || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= x.Shape.Length))
            throw n.Fail($"perm [{string.Join(",", perm)}] is not a permutation of the {x.Shape.Length} axes");
        return new TensorValue(perm.Select(p => x.Shape[p]).ToArray(), x.DType);
    }

    private static TensorValue Concat(NodeContext n)
    {
        var inputs = n.Inputs.Where(i => i != null).Cast<TensorValue>().ToList();
        if (inputs.Count == 0) throw n.Fail("has no inputs");
        int rank = inputs[0].Shape.Length;
        int axis = n.Axis(n.Int("axis", 0), rank);
        if (inputs.Any(i => i.Shape.Length != rank)) throw n.Fail($"inputs have different ranks: {string.Join(", ", inputs.Select(i => "[" + string.Join(",", i.Shape) + "]"))}");
        var shape = (long[])inputs[0].Shape.Clone();
        shape[axis] = inputs.Sum(i => i.Shape[axis]);
        long[]? ints = rank == 1 && inputs.All(i => i.Ints != null) ? inputs.SelectMany(i => i.Ints!).ToArray() : null;
        double[]? floats = rank == 1 && ints == null && inputs.All(i => i.Numbers != null) ? inputs.SelectMany(i => i.Numbers!).ToArray() : null;
        return new TensorValue(shape, inputs[0].DType, ints, floats);
    }

    private static TensorValue[] Split(NodeContext n)
    {
        var x = n.Input(0);
        int axis = n.Axis(n.Int("axis", 0), x.Shape.Length);
        var parts = n.Ints("split") ?? (n.Optional(1) != null ? n.ConstInts(1, "split") : null);
        long wanted = n.Int("num_outputs", n.OutputCount);
        if (parts == null && (wanted < 1 || wanted > Math.Max(1, n.OutputCount)))
            throw n.Fail($"num_outputs {wanted} must be from 1 to the node's {n.OutputCount} output(s)");
        int outputs = (int)wanted;
        if (parts != null && parts.Any(p => p < 0)) throw n.Fail($"split [{string.Join(",", parts)}] has a negative size");
        if (parts == null)
        {
            long each = (x.Shape[axis] + outputs - 1) / outputs;
            parts = Enumerable.Range(0, outputs).Select(i => Math.Min(each, x.Shape[axis] - each * i)).ToArray();
        }
        return parts.Select(p => { var s = (long[])x.Shape.Clone(); s[axis] = p; return new TensorValue(s, x.DType); }).ToArray();
    }

    private static TensorValue Slice(NodeContext n)
    {
        var x = n.Input(0);
        long[] starts, ends;
        long[]? axes, steps;
        if (n.Opset < 10 && n.Ints("starts") != null)
        {
            starts = n.Ints("starts")!; ends = n.Ints("ends")!; axes = n.Ints("axes"); steps = null;
        }
        else
        {
            starts = n.ConstInts(1, "starts"); ends = n.ConstInts(2, "ends");
            axes = n.Optional(3) != null ? n.ConstInts(3, "axes") : null;
            steps = n.Optional(4) != null ? n.ConstInts(4, "steps") : null;
        }
        var shape = (long[])x.Shape.Clone();
        var picks = new List<(int Axis, long Start, long Step, long Count)>();
        for (int i = 0; i < starts.Length; i++)
        {
            int axis = n.Axis(axes?[i] ?? i, x.Shape.Length);
            long dim = x.Shape[axis], step = steps?[i] ?? 1;
            if (step == 0) throw n.Fail("steps must not be 0");
            long s = starts[i], e = ends[i];
            if (s < 0) s += dim;
            if (e < 0) e += dim;
            if (step > 0) { s = Math.Clamp(s, 0, dim); e = Math.Clamp(e, 0, dim); shape[axis] = Math.Max(0, (e - s + step - 1) / step); }
            else { s = Math.Clamp(s, -1, dim - 1); e = Math.Clamp(e, -1, dim - 1); shape[axis] = Math.Max(0, (s - e + (-step) - 1) / (-step)); }
            picks.Add((axis, s, step, shape[axis]));
        }
        long[]? ints = null;
        if (x.Shape.Length == 1 && x.Ints != null && picks.Count == 1)
            ints = Enumerable.Range(0, (int)picks[0].Count).Select(k => x.Ints[picks[0].Start + k * picks[0].Step]).ToArray();
        return new TensorValue(shape, x.DType, ints);
    }

    private static long[] Axes(NodeContext n, int inputIndex, int rank)
    {
        var axes = n.Ints("axes") ?? (n.Optional(inputIndex) != null ? n.ConstInts(inputIndex, "axes") : null);
        return axes?.Select(a => (long)n.Axis(a, rank, "axes entry")).ToArray() ?? [];
    }

    private static TensorValue Squeeze(NodeContext n)
    {
        var x = n.Input(0);
        var axes = Axes(n, 1, x.Shape.Length);
        var shape = x.Shape.Where((d, i) => axes.Length == 0 ? d != 1 : !axes.Contains(i)).ToArray();
        return new TensorValue(shape, x.DType, x.Ints, x.Floats);
    }

    private static TensorValue Unsqueeze(NodeContext n)
    {
        var x = n.Input(0);
        long added = n.Ints("axes")?.Length ?? n.Input(1).Count;
        if (added > MaxRank) throw n.Fail($"adds {added} axes, more than a tensor of rank {MaxRank} can have");
        int outRank = x.Shape.Length + (int)added;
        var axes = Axes(n, 1, outRank).ToHashSet();
        var shape = new long[outRank];
        int src = 0;
        for (int i = 0; i < outRank; i++) shape[i] = axes.Contains(i) ? 1 : x.Shape[src++];
        return new TensorValue(shape, x.DType, x.Ints, x.Floats);
    }

    private static TensorValue Resize(NodeContext n)
    {
        var x = n.Input(0);
        long[]? sizes = null;
        double[]? scales = null;
        if (n.Op == "Upsample")
            scales = n.Floats("scales")?.Select(f => (double)f).ToArray() ?? n.Input(1).Numbers;
        else
        {
            if (n.Optional(3) is { Count: > 0 } s) sizes = s.Ints ?? throw n.Fail("needs the values of its sizes input, and they are not constant");
            else if (n.Optional(2) is { Count: > 0 } sc) scales = sc.Numbers ?? throw n.Fail("needs the values of its scales input, and they are not constant");
            else if (n.Opset < 11 && n.Optional(1) is { } old) scales = old.Numbers;
        }
        if (sizes != null) return new TensorValue(sizes, x.DType);
        if (scales == null || scales.Length != x.Shape.Length) throw n.Fail("has neither constant sizes nor scales for every dimension");
        if (scales.Any(f => !double.IsFinite(f) || f <= 0 || f > 1e6)) throw n.Fail($"scales [{string.Join(",", scales)}] must be positive finite factors");
        return new TensorValue(x.Shape.Select((d, i) => (long)Math.Floor(d * scales[i])).ToArray(), x.DType);
    }

    private static TensorValue Pad(NodeContext n)
    {
        var x = n.Input(0);
        var pads = n.Ints("pads") ?? n.ConstInts(1, "pads");
        int rank = x.Shape.Length;
        var axes = n.Optional(3) != null ? n.ConstInts(3, "axes").Select(a => (long)n.Axis(a, rank, "axes entry")).ToArray() : Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        if (pads.Length != 2 * axes.Length) throw n.Fail($"has {pads.Length} pads for {axes.Length} axes (wants two per axis)");
        var shape = (long[])x.Shape.Clone();
        for (int i = 0; i < axes.Length; i++) shape[axes[i]] += pads[i] + pads[i + axes.Length];
        return new TensorValue(shape, x.DType);
    }

    private static TensorValue Reduce(NodeContext n)
    {
        var x = n.Input(0);
        var axes = n.Op is "ArgMax" or "ArgMin" ? [n.Axis(n.Int("axis", 0), x.Shape.Length)] : Axes(n, 1, x.Shape.Length);
        bool all = axes.Length == 0 && n.Int("noop_with_empty_axes", 0) == 0;
        bool keep = n.Int("keepdims", 1) == 1;
        var shape = new List<long>();
        for (int i = 0; i < x.Shape.Length; i++)
        {
            bool reduced = all || axes.Contains(i);
            if (!reduced) shape.Add(x.Shape[i]);
            else if (keep) shape.Add(1);
        }
        return new TensorValue(shape.ToArray(), x.DType);
    }

    private static TensorValue ShapeOf(NodeContext n)
    {
        var x = n.Input(0).Shape;
        long start = n.Int("start", 0), end = n.Int("end", x.Length);
        if (start < 0) start += x.Length;
        if (end < 0) end += x.Length;
        var values = x[(int)Math.Clamp(start, 0, x.Length)..(int)Math.Clamp(end, 0, x.Length)];
        return new TensorValue([values.Length], DataType.Int64, values);
    }

    private static TensorValue Gather(NodeContext n)
    {
        var data = n.Input(0);
        var idx = n.Input(1);
        int axis = n.Axis(n.Int("axis", 0), data.Shape.Length);
        var shape = data.Shape[..axis].Concat(idx.Shape).Concat(data.Shape[(axis + 1)..]).ToArray();
        long[]? ints = null;
        if (data.Shape.Length == 1 && data.Ints != null && idx.Ints != null)
            ints = idx.Ints.Select(i => data.Ints[i < 0 ? i + data.Ints.Length : i]).ToArray();
        return new TensorValue(shape, data.DType, ints);
    }

    private static TensorValue ConstantOfShape(NodeContext n)
    {
        var shape = n.ConstInts(0, "shape");
        var value = n.Tensor("value");
        var dtype = value?.DType ?? DataType.Float32;
        long count = Count(shape);
        return new TensorValue(shape, dtype, count <= 64 && value?.Ints != null ? Enumerable.Repeat(value.Ints[0], (int)count).ToArray() : null);
    }

    private static TensorValue Expand(NodeContext n)
    {
        var x = n.Input(0);
        return new TensorValue(BroadcastShapes(n, [x.Shape, n.ConstInts(1, "shape")]), x.DType);
    }

    private static TensorValue Tile(NodeContext n)
    {
        var x = n.Input(0);
        var reps = n.ConstInts(1, "repeats");
        if (reps.Length != x.Shape.Length) throw n.Fail($"has {reps.Length} repeats for rank {x.Shape.Length}");
        return new TensorValue(x.Shape.Select((d, i) => checked(d * reps[i])).ToArray(), x.DType);
    }

    private static TensorValue Range(NodeContext n)
    {
        var start = n.Input(0).Numbers?[0] ?? throw n.Fail("needs a constant start");
        var limit = n.Input(1).Numbers?[0] ?? throw n.Fail("needs a constant limit");
        var delta = n.Input(2).Numbers?[0] ?? throw n.Fail("needs a constant delta");
        if (delta == 0 || !double.IsFinite(start) || !double.IsFinite(limit) || !double.IsFinite(delta)) throw n.Fail($"start {start}, limit {limit} and delta {delta} do not make a finite range");
        double steps = Math.Ceiling((limit - start) / delta);
        if (steps > long.MaxValue / 16) throw n.Fail($"would have {steps} elements");
        long count = Math.Max((long)steps, 0);
        return new TensorValue([count], n.Input(0).DType);
    }
}
