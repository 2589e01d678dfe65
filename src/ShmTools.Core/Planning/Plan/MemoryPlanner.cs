using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Profiles;

namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// The memory-planning method: the model is cut into sub-functions by each device's operator
/// support (devices in preference order), each device's part is scheduled across its compute
/// units (execution units), and its tensors are placed in blocks of the target memory (capacity
/// minus reserved), compensating from the reserved memory when the target is not enough.
/// </summary>
public static class MemoryPlanner
{
    /// <summary>How long the exact stage may search, over all devices of a plan, when no time limit is given.</summary>
    public static readonly TimeSpan DefaultAutoTimeLimit = TimeSpan.FromSeconds(1), DefaultExactTimeLimit = TimeSpan.FromSeconds(10);

    public static MemoryPlan Plan(ModelGraph graph, IReadOnlyList<DeviceProfile> devices, PlanStrategy strategy = PlanStrategy.Auto, bool detailed = false, TimeSpan? timeLimit = null)
    {
        var exactDeadline = DateTime.UtcNow + (timeLimit ?? (strategy == PlanStrategy.Exact ? DefaultExactTimeLimit : DefaultAutoTimeLimit));
        if (devices.Count == 0) throw new ArgumentException("At least one device profile is needed.", nameof(devices));
        // 1. Partition by operator support: the first device (in the order given) that runs it.
        var deviceOf = new int[graph.Nodes.Count];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var n = graph.Nodes[i];
            deviceOf[i] = Enumerable.Range(0, devices.Count).FirstOrDefault(d => devices[d].Supports(n.Op), -1);
            if (deviceOf[i] < 0)
                throw new ModelFormatException($"node '{n.Name}' ({n.Op}): no device profile given supports {n.Op} ({string.Join(", ", devices.Select(d => d.Name))}).");
        }
        var producedOn = new Dictionary<string, int>(StringComparer.Ordinal);
        var transfers = new List<Transfer>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (var input in graph.Nodes[i].Inputs)
                if (producedOn.TryGetValue(input, out int from) && from != deviceOf[i]
                    && !transfers.Any(t => t.Tensor == input && t.To == devices[deviceOf[i]].Name))
                    transfers.Add(new Transfer(input, devices[from].Name, devices[deviceOf[i]].Name, graph.Tensors[input].Bytes));
            foreach (var o in graph.Nodes[i].Outputs) producedOn[o.Name] = deviceOf[i];
        }
        var subFunctions = new List<(int Device, int Start, int End)>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (subFunctions.Count > 0 && subFunctions[^1].Device == deviceOf[i]) subFunctions[^1] = (deviceOf[i], subFunctions[^1].Start, i);
            else subFunctions.Add((deviceOf[i], i, i));
        }

        var graphInputs = graph.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var graphOutputs = graph.Outputs.ToHashSet(StringComparer.Ordinal);
        var plans = new List<DevicePlan>();
        var unused = new List<UnusedDevice>();
        for (int d = 0; d < devices.Count; d++)
        {
            var nodes = graph.Nodes.Where((_, i) => deviceOf[i] == d).ToList();
            if (nodes.Count == 0)
            {
                unused.Add(new UnusedDevice(devices[d].Name, WhyUnused(graph, devices, d)));
                continue;
            }
            var profile = devices[d];
            var schedule = DeviceSchedule.Build(nodes, profile.ComputeUnits, profile.AlignmentBytes, graph.Tensors, graphInputs, graphOutputs);
            var candidates = strategy switch
            {
                PlanStrategy.UseCount => [UseCountAllocator.Allocate(schedule)],
                PlanStrategy.UseCountInPlace => [UseCountAllocator.Allocate(schedule, inPlace: true)],
                PlanStrategy.GreedyBySize => [GreedyBySizeAllocator.Allocate(schedule)],
                PlanStrategy.Exact => [GreedyBySizeAllocator.Allocate(schedule), GreedyBySizeAllocator.Allocate(schedule, byBreadth: true)],
                _ => new[]
                {
                    UseCountAllocator.Allocate(schedule), UseCountAllocator.Allocate(schedule, inPlace: true),
                    GreedyBySizeAllocator.Allocate(schedule), GreedyBySizeAllocator.Allocate(schedule, byBreadth: true),
                },
            };
            var best = candidates.OrderBy(c => c.Peak).First();
            long lowerBound = schedule.LowerBound();
            bool proven = best.Peak <= lowerBound;
            long provenFloor = lowerBound;
            double exactSeconds = 0;
            var peaks = candidates.ToDictionary(c => c.Strategy, c => c.Peak);
            if (strategy is PlanStrategy.Exact || (strategy is PlanStrategy.Auto && !proven))
            {
                var left = exactDeadline - DateTime.UtcNow;
                var (exact, solution) = ExactAllocator.Allocate(schedule, best, left > TimeSpan.Zero ? left : TimeSpan.Zero);
                peaks["exact"] = exact.Peak;
                if (exact.Peak < best.Peak || strategy is PlanStrategy.Exact) best = exact;
                proven = solution.ProvenOptimal && best.Peak <= solution.Peak;
                provenFloor = Math.Max(lowerBound, solution.ProvenFloor);
                exactSeconds = solution.Elapsed.TotalSeconds;
            }
            // A plan that overwrites inputs in place is held to the floor of such plans: below the
            // own-memory floor it is optimal only when it reaches the in-place one.
            if (best.InPlaceOf is { } sharing && sharing.Any(v => v >= 0) && best.Peak < lowerBound)
            {
                lowerBound = schedule.InPlaceLowerBound();
                proven = best.Peak <= lowerBound;
                provenFloor = lowerBound;
            }
            long weights = nodes.Sum(n => n.WeightsBytes);
            long need = weights + best.Peak;
            long compensation = Math.Clamp(need - profile.TargetBytes, 0, profile.ReservedBytes);
            // A sub-function is a contiguous run of the graph's nodes, so also of this device's.
            var localIndex = new Dictionary<GraphNode, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < nodes.Count; i++) localIndex[nodes[i]] = i;
            var subs = subFunctions.Select((sf, index) => (sf, index)).Where(x => x.sf.Device == d).Select(x =>
            {
                int from = localIndex[graph.Nodes[x.sf.Start]], to = localIndex[graph.Nodes[x.sf.End]];
                var steps = Enumerable.Range(from, to - from + 1).Select(i => schedule.Step[i]).ToList();
                int units = Enumerable.Range(from, to - from + 1).Select(i => schedule.Unit[i]).Distinct().Count();
                return new SubFunction(x.index, profile.Name, to - from + 1, nodes[from].Name, nodes[to].Name, units, steps.Max() - steps.Min() + 1);
            }).ToList();
            var placements = Placements(schedule, best, profile);
            plans.Add(new DevicePlan
            {
                Name = profile.Name,
                CapacityBytes = profile.MemoryBytes,
                TargetBytes = profile.TargetBytes,
                ReservedBytes = profile.ReservedBytes,
                PeakBytes = best.Peak,
                LowerBoundBytes = lowerBound,
                NaiveBytes = schedule.Lifetimes.Sum(t => t.Size),
                WeightsBytes = weights,
                CompensationBytes = compensation,
                OverflowBytes = Math.Max(0, need - profile.MemoryBytes),
                Fits = need <= profile.MemoryBytes,
                Strategy = best.Strategy,
                ComputeUnits = profile.ComputeUnits,
                AlignmentBytes = profile.AlignmentBytes,
                Steps = schedule.Steps,
                SubFunctions = subs,
                Blocks = best.BlockList,
                Tensors = detailed ? placements : null,
                PeakByStrategy = peaks,
                ProvenOptimal = proven,
                ProvenFloorBytes = proven ? best.Peak : provenFloor,
                ExactSeconds = exactSeconds,
            });
        }
        return new MemoryPlan(graph.Name, Text.EnumWords.Word(strategy), plans, transfers)
        {
            UnusedDevices = unused,
        };
    }

    private static List<TensorPlacement> Placements(DeviceSchedule s, Placement p, DeviceProfile profile) =>
        s.Lifetimes.Select(t =>
        {
            var info = s.Tensors[t.Name];
            return new TensorPlacement(t.Name, info.Shape, DataTypes.Name(info.DType), info.Bytes, profile.Name, t.First, t.Last, p.Blocks[t.Id], p.Offsets[t.Id])
            {
                AlignedBytes = t.Size,
                InPlaceOf = p.InPlaceOf is { } ip && ip[t.Id] >= 0 ? s.Lifetimes[ip[t.Id]].Name : null,
            };
        }).ToList();

    private static string WhyUnused(ModelGraph graph, IReadOnlyList<DeviceProfile> devices, int d)
    {
        int supported = graph.Nodes.Count(n => devices[d].Supports(n.Op));
        if (supported == 0) return "it supports none of the model's operators";
        var earlier = string.Join(", ", devices.Take(d).Select(x => x.Name));
        return $"the {supported} operator(s) it supports all went to {earlier}, given before it (an operator goes to the first profile that supports it)";
    }
}
