namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// The seed method's reuse rule. Each tensor's use count is how many operators consume it
/// (counted over the sub-function's edges; a graph output keeps one extra use so it is never
/// freed). Operators are walked in schedule order; graph inputs take the first blocks. Each
/// output takes the first block whose use count is 0 and whose size is at least the output's,
/// else a new block. After a step, each consumed input's block use count drops by one per read.
/// A block with a non-zero count is never reused. Blocks lie one after another.
/// With <c>inPlace</c> (beyond the seed): an element-wise operator whose input dies at that
/// operator writes its output into the input's block, when it is large enough.
/// </summary>
public static class UseCountAllocator
{
    /// <summary>Operators that may write their output over an input of at least the same size.</summary>
    public static readonly IReadOnlySet<string> ElementWise = new HashSet<string>(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Clip", "Sqrt", "Exp", "Log", "Tanh", "Neg", "Abs", "Erf", "LeakyRelu",
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "BatchNormalization", "Identity", "Dropout", "Softplus", "Elu", "Gelu", "Swish", "Mish",
    };

    public static Placement Allocate(DeviceSchedule s, bool inPlace = false)
    {
        var lifetimes = s.Lifetimes;
        var offsets = new long[lifetimes.Count];
        var blockOf = new int[lifetimes.Count];
        var blockSize = new List<long>();
        var blockUses = new List<int>();
        var blockTensors = new List<int>();
        var blockOwner = new List<int>();
        var inPlaceOf = new int[lifetimes.Count];
        Array.Fill(inPlaceOf, -1);
        var remaining = lifetimes.Select(t => t.Uses).ToArray();
        var overwritten = new bool[lifetimes.Count];

        void Place(Lifetime t, int reuse = -1)
        {
            int chosen = reuse;
            for (int b = 0; chosen < 0 && b < blockSize.Count; b++)
                if (blockUses[b] == 0 && blockSize[b] >= t.Size) chosen = b;
            if (chosen < 0)
            {
                chosen = blockSize.Count;
                blockSize.Add(t.Size);
                blockUses.Add(0);
                blockTensors.Add(0);
                blockOwner.Add(-1);
            }
            blockUses[chosen] = t.Uses;
            blockTensors[chosen]++;
            blockOwner[chosen] = t.Id;
            blockOf[t.Id] = chosen;
        }

        // The input an element-wise node may overwrite: read once at this step (by this node
        // alone), never again, and still the owner of its block.
        int InPlaceVictim(Lifetime output, int step)
        {
            var node = s.Nodes[output.Producer];
            if (!ElementWise.Contains(node.Op) || node.Outputs.Count != 1) return -1;
            foreach (var id in s.Reads[step])
            {
                var input = lifetimes[id];
                if (input.Last != step || remaining[id] != s.Reads[step].Count(r => r == id)) continue;
                if (!node.Inputs.Contains(input.Name) || s.Reads[step].Count(r => r == id) != 1) continue;
                int b = blockOf[id];
                if (blockOwner[b] == id && blockSize[b] >= output.Size && !overwritten[id]) { overwritten[id] = true; return id; }
            }
            return -1;
        }

        var byProducerStep = new List<Lifetime>[Math.Max(s.Steps, 1)];
        foreach (var t in lifetimes)
        {
            if (t.Producer < 0) continue;
            (byProducerStep[s.Step[t.Producer]] ??= new List<Lifetime>()).Add(t);
        }
        // The sub-function's inputs first (block 0 onward), in the order they are first read.
        foreach (var t in lifetimes.Where(t => t.Producer < 0).OrderBy(t => t.First).ThenBy(t => t.Id)) Place(t);
        var arrived = new HashSet<int>();
        for (int step = 0; step < s.Steps; step++)
        {
            if (byProducerStep[step] is { } outs)
                foreach (var t in outs.OrderBy(t => s.Unit[t.Producer]).ThenBy(t => t.Id))
                {
                    int victim = inPlace ? InPlaceVictim(t, step) : -1;
                    if (victim >= 0) inPlaceOf[t.Id] = victim;
                    Place(t, victim >= 0 ? blockOf[victim] : -1);
                }
            foreach (var id in s.Reads[step])
            {
                remaining[id]--;
                int b = blockOf[id];
                if (blockOwner[b] == id && blockUses[b] > 0) blockUses[b]--;
            }
        }
        var blocks = new List<MemoryBlock>();
        long offset = 0;
        for (int b = 0; b < blockSize.Count; b++)
        {
            blocks.Add(new MemoryBlock(b, offset, blockSize[b], blockTensors[b]));
            offset += blockSize[b];
        }
        for (int i = 0; i < lifetimes.Count; i++) offsets[i] = blocks[blockOf[i]].Offset;
        return new Placement(inPlace ? "use-count-in-place" : "use-count", offsets, blockOf, blocks, offset)
        {
            InPlaceOf = inPlaceOf,
        };
    }
}
