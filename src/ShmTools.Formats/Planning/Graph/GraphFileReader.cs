using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShmTools.Core.Planning.Graph;

/// <summary>
/// Reads the hand-written graph format (YAML, or JSON, which is YAML too): inputs (name, shape,
/// dtype), nodes in execution order (name, op, inputs, outputs with name/shape/dtype,
/// optional weightsBytes), outputs. Mistakes are reported as file:line:column.
/// </summary>
public static class GraphFileReader
{
    public static ModelGraph Read(string path)
    {
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ModelFormatException($"{path}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML/JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new ModelFormatException($"{path}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ModelFormatException($"{path}: not valid YAML/JSON ({ex.Message}).", ex);
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new ModelFormatException($"{path}: a graph file is a mapping with inputs, nodes and outputs.");
        Allowed(root, path, "name", "inputs", "nodes", "outputs");
        var inputs = Seq(root, "inputs", path).Select(n => Tensor(n, path)).ToList();
        var nodes = new List<GraphNode>();
        foreach (var n in Seq(root, "nodes", path))
        {
            var m = Map(n, path, "a node");
            Allowed(m, path, "name", "op", "inputs", "outputs", "weightsBytes");
            string name = Text(m, "name", path) ?? $"node_{nodes.Count}";
            string op = Text(m, "op", path) ?? throw Fail(path, m, $"node '{name}' has no op");
            var ins = Seq(m, "inputs", path).Select(i => (i as YamlScalarNode)?.Value ?? throw Fail(path, i, "inputs are tensor names")).ToList();
            var outs = Seq(m, "outputs", path).Select(o => Tensor(o, path)).ToList();
            long weights = 0;
            if (Text(m, "weightsBytes", path) is { } w && (!long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out weights)))
                throw Fail(path, m.Children[new YamlScalarNode("weightsBytes")], $"weightsBytes '{w}' is not a byte count");
            nodes.Add(new GraphNode(name, op, ins, outs, weights));
        }
        if (nodes.Count == 0) throw new ModelFormatException($"{path}: the graph has no nodes.");
        var outputs = Seq(root, "outputs", path).Select(o => (o as YamlScalarNode)?.Value ?? throw Fail(path, o, "outputs are tensor names")).ToList();
        var graph = new ModelGraph(Text(root, "name", path) ?? Path.GetFileNameWithoutExtension(path), inputs, nodes, outputs, nodes.Sum(n => n.WeightsBytes));
        graph.Validate(path);
        return graph;
    }

    private static TensorInfo Tensor(YamlNode node, string path)
    {
        var m = Map(node, path, "a tensor");
        Allowed(m, path, "name", "shape", "dtype");
        string name = Text(m, "name", path) ?? throw Fail(path, m, "a tensor needs a name");
        var shapeNode = m.Children.TryGetValue(new YamlScalarNode("shape"), out var s) ? s as YamlSequenceNode : null;
        if (shapeNode == null) throw Fail(path, m, $"tensor '{name}' needs a shape (a list of dimensions)");
        var shape = shapeNode.Select(d => long.TryParse((d as YamlScalarNode)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v
            : throw Fail(path, d, $"tensor '{name}': dimension '{(d as YamlScalarNode)?.Value}' is not a whole number")).ToArray();
        string dt = Text(m, "dtype", path) ?? "float32";
        if (!DataTypes.TryParse(dt, out var dtype)) throw Fail(path, m, $"tensor '{name}': unknown dtype '{dt}' (float32, float16, bfloat16, float64, int8, uint8, int16, int32, int64, bool)");
        var t = new TensorInfo(name, shape, dtype);
        try
        {
            _ = t.Bytes;
        }
        catch (OverflowException)
        {
            throw Fail(path, shapeNode, $"tensor '{name}': shape [{string.Join(",", shape)}] overflows a 64-bit byte count");
        }
        return t;
    }

    private static IEnumerable<YamlNode> Seq(YamlMappingNode m, string key, string path)
    {
        if (!m.Children.TryGetValue(new YamlScalarNode(key), out var node)) return [];
        return node as YamlSequenceNode ?? throw Fail(path, node, $"'{key}' must be a list");
    }

    private static YamlMappingNode Map(YamlNode node, string path, string what) =>
        node as YamlMappingNode ?? throw Fail(path, node, $"expected {what} (a mapping)");

    private static string? Text(YamlMappingNode m, string key, string path) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value ?? throw Fail(path, node, $"'{key}' must be a single value") : null;

    private static void Allowed(YamlMappingNode m, string path, params string[] keys)
    {
        foreach (var k in m.Children.Keys)
            if (k is not YamlScalarNode s || !keys.Contains(s.Value))
                throw Fail(path, k, $"unknown key '{(k as YamlScalarNode)?.Value}' (known here: {string.Join(", ", keys)})");
    }

    private static ModelFormatException Fail(string path, YamlNode node, string why) => new($"{path}:{node.Start.Line}:{node.Start.Column}: {why}.");
}
