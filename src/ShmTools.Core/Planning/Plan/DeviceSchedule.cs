using ShmTools.Core.Planning.Graph;

namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// One device's part of the model scheduled on its compute units: each operator gets a step and
/// an execution unit (list scheduling in execution order, at most one operator per compute unit
/// and step, never before its inputs exist), and every tensor it touches gets a lifetime.
/// </summary>
public sealed class DeviceSchedule
{
    public required IReadOnlyList<GraphNode> Nodes { get; init; }
    public required int[] Step { get; init; }
    public required int[] Unit { get; init; }
    public required int Steps { get; init; }
    public required IReadOnlyList<Lifetime> Lifetimes { get; init; }
    /// <summary>Per step, the tensors (lifetime ids) read by the operators of that step, once per read.</summary>
    public required IReadOnlyList<int>[] Reads { get; init; }
    public required IReadOnlyDictionary<string, TensorInfo> Tensors { get; init; }

    public static DeviceSchedule Build(IReadOnlyList<GraphNode> nodes, int computeUnits, long alignment,
        IReadOnlyDictionary<string, TensorInfo> tensors, ISet<string> graphInputs, ISet<string> graphOutputs)
    {
        var producedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var step = new int[nodes.Count];
        var unit = new int[nodes.Count];
        var load = new List<int>();
        var nextFree = new List<int>(); // union-find over steps with spare units
        int Find(int s)
        {
            while (true)
            {
                while (s >= load.Count) { load.Add(0); nextFree.Add(load.Count - 1); }
                int root = s;
                while (nextFree[root] != root) root = nextFree[root];
                while (nextFree[s] != root) { int n = nextFree[s]; nextFree[s] = root; s = n; }
                if (load[root] < computeUnits) return root;
                nextFree[root] = root + 1;
                s = root + 1;
            }
        }
        for (int i = 0; i < nodes.Count; i++)
        {
            int ready = 0;
            foreach (var input in nodes[i].Inputs)
                if (producedAt.TryGetValue(input, out int p)) ready = Math.Max(ready, step[p] + 1);
            int s = Find(ready);
            step[i] = s;
            unit[i] = load[s]++;
            foreach (var o in nodes[i].Outputs) producedAt[o.Name] = i;
        }
        int steps = nodes.Count == 0 ? 0 : step.Max() + 1;

        // Lifetimes: produced here, or arriving (graph inputs at step 0, transfers just before first use).
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = new List<int>();
        var last = new List<int>();
        var uses = new List<int>();
        var producer = new List<int>();
        var names = new List<string>();
        int Id(string name, int firstStep, int prod)
        {
            if (ids.TryGetValue(name, out int id)) return id;
            id = names.Count;
            ids[name] = id;
            names.Add(name);
            first.Add(firstStep);
            last.Add(firstStep);
            uses.Add(0);
            producer.Add(prod);
            return id;
        }
        var reads = Enumerable.Range(0, Math.Max(steps, 1)).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (var input in nodes[i].Inputs)
            {
                int id = producedAt.TryGetValue(input, out int p) ? ids[input] : Id(input, graphInputs.Contains(input) ? 0 : step[i], -1);
                first[id] = Math.Min(first[id], step[i]);
                last[id] = Math.Max(last[id], step[i]);
                uses[id]++;
                reads[step[i]].Add(id);
            }
            foreach (var o in nodes[i].Outputs) Id(o.Name, step[i], i);
        }
        for (int id = 0; id < names.Count; id++)
        {
            if (graphInputs.Contains(names[id])) first[id] = 0;
            if (graphOutputs.Contains(names[id])) { last[id] = steps - 1; uses[id]++; }
            else if (uses[id] == 0)
            {
                // Read by nobody here (dead, or sent to another device right away): it still
                // occupies its memory for the step that writes it.
                uses[id] = 1;
                reads[first[id]].Add(id);
            }
        }
        var lifetimes = new Lifetime[names.Count];
        for (int id = 0; id < names.Count; id++)
        {
            long size = tensors[names[id]].Bytes;
            long aligned = (size + alignment - 1) / alignment * alignment;
            lifetimes[id] = new Lifetime(id, names[id], aligned, first[id], Math.Max(first[id], last[id]), uses[id], producer[id]);
        }
        return new DeviceSchedule { Nodes = nodes, Step = step, Unit = unit, Steps = steps, Lifetimes = lifetimes, Reads = reads, Tensors = tensors };
    }

    /// <summary>
    /// The most aligned bytes alive at one step: a floor for any plan of this schedule in which
    /// every tensor has memory of its own (what the exact search solves).
    /// </summary>
    public long LowerBound() => MaxLive(null);

    /// <summary>
    /// The floor for plans that also let an element-wise node overwrite an input in place (read
    /// there by it alone, never again): the most bytes alive at one step less what such nodes
    /// there can share. Lower than <see cref="LowerBound"/> wherever a chain could run in place.
    /// </summary>
    public long InPlaceLowerBound() => MaxLive(InPlaceShareable());

    private long MaxLive(long[]? shared)
    {
        var delta = new long[Steps + 2];
        foreach (var t in Lifetimes)
        {
            delta[t.First] += t.Size;
            delta[t.Last + 1] -= t.Size;
        }
        long live = 0, max = 0;
        for (int step = 0; step < delta.Length; step++)
        {
            live += delta[step];
            max = Math.Max(max, live - (shared != null && step < shared.Length ? shared[step] : 0));
        }
        return max;
    }

    /// <summary>Per step, the most bytes in-place outputs there can share with the inputs they overwrite.</summary>
    private long[] InPlaceShareable()
    {
        var shared = new long[Math.Max(Steps, 1)];
        var idOf = new Dictionary<string, int>(Lifetimes.Count, StringComparer.Ordinal);
        foreach (var t in Lifetimes) idOf[t.Name] = t.Id;
        for (int i = 0; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            if (!UseCountAllocator.ElementWise.Contains(node.Op) || node.Outputs.Count != 1) continue;
            if (!idOf.TryGetValue(node.Outputs[0].Name, out int outId)) continue;
            int step = Step[i];
            long best = 0;
            foreach (var input in node.Inputs)
            {
                if (!idOf.TryGetValue(input, out int inId)) continue;
                var victim = Lifetimes[inId];
                if (victim.Last != step || Reads[step].Count(r => r == inId) != 1) continue;
                best = Math.Max(best, Math.Min(victim.Size, Lifetimes[outId].Size));
            }
            shared[step] += best;
        }
        return shared;
    }
}
