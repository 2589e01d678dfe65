using Google.Protobuf;
using ShmTools.Core.Inputs;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Onnx.Wire;
using ShmTools.Core.Planning.Shapes;

namespace ShmTools.Core.Planning.Onnx;

/// <summary>
/// Reads an ONNX model into a <see cref="ModelGraph"/>: initializers and Constant outputs are
/// static memory (weights; external data is sized from its dims, never loaded), symbolic input
/// dimensions are bound from the caller's input shapes, and every activation gets a concrete
/// shape by inference (value_info where inference cannot).
/// </summary>
public static class OnnxModelReader
{
    /// <summary>The protobuf limit for one message: a model above it keeps its weights as external data.</summary>
    public const long MaxFileBytes = int.MaxValue;

    public static ModelGraph Read(string path, IReadOnlyDictionary<string, long[]>? inputShapes = null)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(InputFile.ReadAllBytes(path, Math.Min(MaxFileBytes, Array.MaxLength)));
        }
        catch (InputFileException ex)
        {
            throw new ModelFormatException(ex.Message, ex);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelFormatException($"{path}: not a readable ONNX model (truncated or not protobuf): {ex.Message}", ex);
        }
        if (model.Graph == null || model.Graph.Node.Count == 0)
            throw new ModelFormatException($"{path}: not an ONNX model: it has no graph (or an empty one).");
        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(13).Max();
        return Convert(model.Graph, path, opset, inputShapes ?? new Dictionary<string, long[]>());
    }

    private static ModelGraph Convert(GraphProto g, string path, long opset, IReadOnlyDictionary<string, long[]> bound)
    {
        var values = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        var staticBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var init in g.Initializer)
        {
            var v = FromTensor(init, path, "initializer '" + init.Name + "'");
            values[init.Name] = v;
            staticBytes[init.Name] = v.Bytes;
        }
        var inputNames = g.Input.Select(i => i.Name).Where(n => !staticBytes.ContainsKey(n)).ToList();
        foreach (var name in bound.Keys)
            if (!inputNames.Contains(name))
                throw new ModelFormatException($"{path}: --input-shape names '{name}', but the model's inputs are: {string.Join(", ", inputNames)}.");
        var inputs = new List<TensorInfo>();
        foreach (var input in g.Input)
        {
            if (staticBytes.ContainsKey(input.Name)) continue;
            var t = input.Type?.TensorType ?? throw new ModelFormatException($"{path}: graph input '{input.Name}' is not a tensor.");
            var dtype = DataTypes.FromOnnx(t.ElemType) ?? throw new ModelFormatException($"{path}: graph input '{input.Name}' has element type {t.ElemType}, which the planner does not size.");
            long[] shape;
            if (bound.TryGetValue(input.Name, out var given))
            {
                if (t.Shape != null && t.Shape.Dim.Count != given.Length)
                    throw new ModelFormatException($"{path}: input '{input.Name}' has rank {t.Shape.Dim.Count}, but the given shape [{string.Join(",", given)}] has rank {given.Length}.");
                shape = given;
            }
            else
            {
                var dims = t.Shape?.Dim ?? throw new ModelFormatException($"{path}: input '{input.Name}' has no shape; give one with --input-shape {input.Name}=D1,D2,...");
                if (dims.Any(d => d.DimValue <= 0))
                    throw new ModelFormatException($"{path}: input '{input.Name}' has symbolic dimensions [{string.Join(",", dims.Select(d => d.DimValue > 0 ? d.DimValue.ToString() : d.DimParam is { Length: > 0 } p ? p : "?"))}]; give concrete ones as an input shape {input.Name}=D1,D2,...");
                shape = dims.Select(d => d.DimValue).ToArray();
            }
            var info = new TensorInfo(input.Name, shape, dtype);
            _ = Bytes(info, path, "input '" + input.Name + "'");
            inputs.Add(info);
            values[input.Name] = new TensorValue(shape, dtype);
        }

        var declared = g.ValueInfo.Concat(g.Output).Where(v => v.Type?.TensorType?.Shape is { } s && s.Dim.All(d => d.DimValue > 0))
            .GroupBy(v => v.Name).ToDictionary(x => x.Key, x => x.First());
        var nodes = new List<GraphNode>();
        var counted = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var node in g.Node)
        {
            string name = node.Name is { Length: > 0 } ? node.Name : $"{node.OpType}_{index}";
            index++;
            var attrs = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var a in node.Attribute)
                if (!attrs.TryAdd(a.Name, AttributeValue(a, path, name)))
                    throw new ModelFormatException($"{path}: node '{name}' ({node.OpType}) has attribute '{a.Name}' twice.");
            if (node.OpType == "Constant")
            {
                var v = ConstantValue(attrs, path, name);
                foreach (var o in node.Output) { values[o] = v; staticBytes[o] = v.Bytes; }
                continue;
            }
            var ins = node.Input.Select(i => i.Length == 0 ? null : values.TryGetValue(i, out var v) ? v
                : throw new ModelFormatException($"{path}: node '{name}' ({node.OpType}) reads '{i}', which no input, initializer or earlier node produces (unknown name, or nodes out of order/cyclic).")).ToList();
            TensorValue[] outs;
            try
            {
                outs = ShapeInference.Infer(new NodeContext(name, node.OpType, ins, attrs, node.Output.Count, opset));
            }
            catch (ShapeInferenceException) when (node.Output.All(declared.ContainsKey))
            {
                outs = node.Output.Select(o => FromValueInfo(declared[o], path)).ToArray();
            }
            catch (ShapeInferenceException ex)
            {
                throw new ModelFormatException($"{path}: {ex.Message}.");
            }
            catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or OverflowException or InvalidCastException or DivideByZeroException or InvalidOperationException)
            {
                throw new ModelFormatException($"{path}: node '{name}' ({node.OpType}): inconsistent shapes or attributes ({ex.Message}).");
            }
            var outputs = new List<TensorInfo>();
            for (int i = 0; i < node.Output.Count && i < outs.Length; i++)
            {
                if (node.Output[i].Length == 0) continue;
                if (outs[i].Shape.Length > ShapeInference.MaxRank || outs[i].Shape.Any(d => d < 0))
                    throw new ModelFormatException($"{path}: node '{name}' ({node.OpType}): output '{node.Output[i]}' would have shape [{string.Join(",", outs[i].Shape.Take(ShapeInference.MaxRank + 1))}] (a negative dimension or more than {ShapeInference.MaxRank} of them); its inputs or attributes are inconsistent.");
                values[node.Output[i]] = outs[i];
                var info = new TensorInfo(node.Output[i], outs[i].Shape, outs[i].DType);
                _ = Bytes(info, path, $"output '{node.Output[i]}' of node '{name}'");
                outputs.Add(info);
            }
            long weights = ByteTotal.Sum(node.Input.Where(i => staticBytes.ContainsKey(i) && counted.Add(i)).Select(i => staticBytes[i]), path, $"the weights of node '{name}'");
            var activations = node.Input.Where(i => i.Length > 0 && !staticBytes.ContainsKey(i)).Distinct().ToList();
            nodes.Add(new GraphNode(name, node.OpType, activations, outputs, weights));
        }
        var graph = new ModelGraph(g.Name is { Length: > 0 } n ? n : Path.GetFileNameWithoutExtension(path), inputs, nodes,
            g.Output.Select(o => o.Name).Where(o => !staticBytes.ContainsKey(o)).ToList(), ByteTotal.Sum(staticBytes.Values, path, "the weights and constants"));
        graph.Validate(path);
        return graph;
    }

    private static long Bytes(TensorInfo t, string path, string what)
    {
        try
        {
            return t.Bytes;
        }
        catch (OverflowException)
        {
            throw new ModelFormatException($"{path}: {what} has shape [{string.Join(",", t.Shape)}], which overflows a 64-bit byte count.");
        }
    }

    private static TensorValue FromValueInfo(ValueInfoProto v, string path) =>
        new(v.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray(),
            DataTypes.FromOnnx(v.Type.TensorType.ElemType) ?? throw new ModelFormatException($"{path}: value_info '{v.Name}' has an unknown element type."));

    private static object AttributeValue(AttributeProto a, string path, string node)
    {
        int type = a.Type;
        if (type == 0) type = a.Ints.Count > 0 ? 7 : a.Floats.Count > 0 ? 6 : a.T != null ? 4 : !a.S.IsEmpty ? 3 : a.G != null ? 5 : a.F != 0 ? 1 : 2;
        return type switch
        {
            1 => a.F,
            2 => a.I,
            3 => a.S.ToStringUtf8(),
            4 => FromTensor(a.T ?? throw new ModelFormatException($"{path}: attribute '{a.Name}' of node '{node}' says it is a tensor but holds none."), path, $"attribute '{a.Name}' of node '{node}'"),
            6 => a.Floats.ToArray(),
            7 => a.Ints.ToArray(),
            _ => a.Name,
        };
    }

    private static TensorValue ConstantValue(Dictionary<string, object> attrs, string path, string node)
    {
        if (attrs.TryGetValue("value", out var v) && v is TensorValue t) return t;
        if (attrs.TryGetValue("value_int", out v) && v is long i) return new TensorValue([], DataType.Int64, [i]);
        if (attrs.TryGetValue("value_ints", out v) && v is long[] ii) return new TensorValue([ii.Length], DataType.Int64, ii);
        if (attrs.TryGetValue("value_float", out v) && v is float f) return new TensorValue([], DataType.Float32, null, [f]);
        if (attrs.TryGetValue("value_floats", out v) && v is float[] ff) return new TensorValue([ff.Length], DataType.Float32, null, ff.Select(x => (double)x).ToArray());
        throw new ModelFormatException($"{path}: Constant node '{node}' has no value the planner can read.");
    }

    private static TensorValue FromTensor(TensorProto t, string path, string what)
    {
        var dtype = DataTypes.FromOnnx(t.DataType) ?? (t.DataType == 8 ? DataType.Int8 : throw new ModelFormatException($"{path}: {what} has element type {t.DataType}, which the planner does not size."));
        var shape = t.Dims.ToArray();
        if (shape.Any(d => d < 0)) throw new ModelFormatException($"{path}: {what} has a negative dimension.");
        var value = new TensorValue(shape, dtype);
        long count;
        try
        {
            count = value.Count;
            _ = value.Bytes;
        }
        catch (OverflowException)
        {
            throw new ModelFormatException($"{path}: {what} has shape [{string.Join(",", shape)}], which overflows a 64-bit byte count.");
        }
        if (count > 4096 || t.DataLocation == 1) return value; // big or external: size only
        var raw = t.RawData.ToByteArray();
        switch (dtype)
        {
            case DataType.Int64 when t.Int64Data.Count == count: return value with { Ints = t.Int64Data.ToArray() };
            case DataType.Int64 when raw.Length == count * 8: return value with { Ints = Enumerable.Range(0, (int)count).Select(k => BitConverter.ToInt64(raw, k * 8)).ToArray() };
            case DataType.Int32 when t.Int32Data.Count == count: return value with { Ints = t.Int32Data.Select(x => (long)x).ToArray() };
            case DataType.Int32 when raw.Length == count * 4: return value with { Ints = Enumerable.Range(0, (int)count).Select(k => (long)BitConverter.ToInt32(raw, k * 4)).ToArray() };
            case DataType.Float32 when t.FloatData.Count == count: return value with { Floats = t.FloatData.Select(x => (double)x).ToArray() };
            case DataType.Float32 when raw.Length == count * 4: return value with { Floats = Enumerable.Range(0, (int)count).Select(k => (double)BitConverter.ToSingle(raw, k * 4)).ToArray() };
            default: return value;
        }
    }
}
