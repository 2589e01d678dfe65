namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// The seed method's reuse rule. Each tensor's use count is how many operators consume it
/// (counted over the sub-function's edges; a graph output keeps one extra use so it is never
/// freed). Operators are walked in schedule order; graph inputs take the first blocks. Each
/// output takes the first block whose use count is 0 and whose size is at least the output's,
/// else a new block. After a step, each consumed input's block use count drops by one per read.
/// A block with a non-zero count is never reused. Blocks lie one after another.
/// </summary>
public static class UseCountAllocator
{
    public static Placement Allocate(DeviceSchedule s)
    {
        var lifetimes = s.Lifetimes;
        var offsets = new long[lifetimes.Count];
        var blockOf = new int[lifetimes.Count];
        var blockSize = new List<long>();
        var blockUses = new List<int>();
        var blockTensors = new List<int>();

        void Place(Lifetime t)
        {
            int chosen = -1;
            for (int b = 0; b < blockSize.Count; b++)
                if (blockUses[b] == 0 && blockSize[b] >= t.Size) { chosen = b; break; }
            if (chosen < 0)
            {
                chosen = blockSize.Count;
                blockSize.Add(t.Size);
                blockUses.Add(0);
                blockTensors.Add(0);
            }
            blockUses[chosen] = t.Uses;
            blockTensors[chosen]++;
            blockOf[t.Id] = chosen;
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
                foreach (var t in outs.OrderBy(t => s.Unit[t.Producer]).ThenBy(t => t.Id)) Place(t);
            foreach (var id in s.Reads[step])
                if (blockUses[blockOf[id]] > 0) blockUses[blockOf[id]]--;
        }
        var blocks = new List<MemoryBlock>();
        long offset = 0;
        for (int b = 0; b < blockSize.Count; b++)
        {
            blocks.Add(new MemoryBlock(b, offset, blockSize[b], blockTensors[b]));
            offset += blockSize[b];
        }
        for (int i = 0; i < lifetimes.Count; i++) offsets[i] = blocks[blockOf[i]].Offset;
        return new Placement("use-count", offsets, blockOf, blocks, offset);
    }
}
