namespace ShmTools.Core.Planning.Graph;

/// <summary>
/// A model as the planner sees it: graph inputs, operators in execution order with concrete
/// output shapes, graph outputs, and the static memory (weights and constants) apart.
/// </summary>
public sealed record ModelGraph(string Name, IReadOnlyList<TensorInfo> Inputs, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<string> Outputs, long WeightsBytes)
{
    /// <summary>Every activation tensor by name (graph inputs and node outputs).</summary>
    public IReadOnlyDictionary<string, TensorInfo> Tensors =>
        _tensors ??= Inputs.Concat(Nodes.SelectMany(n => n.Outputs)).GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());

    private IReadOnlyDictionary<string, TensorInfo>? _tensors;

    /// <summary>Checks names and order (every input is a graph input or an earlier output; no name is produced twice) and that the sizes add up in 64 bits.</summary>
    public void Validate(string source)
    {
        var known = new HashSet<string>(Inputs.Select(i => i.Name));
        foreach (var n in Nodes)
        {
            foreach (var i in n.Inputs)
                if (!known.Contains(i))
                    throw new ModelFormatException($"{source}: node '{n.Name}' ({n.Op}) reads '{i}', which no graph input or earlier node produces (unknown name, or a cycle).");
            foreach (var o in n.Outputs)
                if (!known.Add(o.Name))
                    throw new ModelFormatException($"{source}: tensor '{o.Name}' is produced twice (node '{n.Name}').");
        }
        foreach (var o in Outputs)
            if (!known.Contains(o)) throw new ModelFormatException($"{source}: graph output '{o}' is never produced.");
        ByteTotal.Sum(Inputs.Concat(Nodes.SelectMany(n => n.Outputs)).Select(t => t.Bytes).Append(WeightsBytes), source, "the tensors and weights");
    }
}
