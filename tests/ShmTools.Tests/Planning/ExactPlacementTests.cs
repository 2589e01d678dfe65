using FsCheck;
using FsCheck.Fluent;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Buffers;
using ShmTools.Core.Planning.Exact;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Planning;

/// <summary>The exact placement search: perfect packings found, optima matched by brute force, infeasibility proven, time limits kept; every placement checked by the independent verifier.</summary>
public sealed class ExactPlacementTests
{
    /// <summary>Buffers as the verifier sees tensors: integer times [lower, upper) are the steps lower..upper-1.</summary>
    private static List<string> Verify(IReadOnlyList<BufferSpec> buffers, long[] offsets, long arena) =>
        PlanVerifier.Verify(buffers.Select((b, i) => new TensorPlacement(b.Id, [b.Size], "uint8", b.Size, "d", (int)b.Lower, (int)b.Upper - 1, 0, offsets[i]) { AlignedBytes = b.Size }).ToList(), arena, 1);

    private static PlacementProblem Problem(IReadOnlyList<BufferSpec> b) =>
        PlacementProblem.FromIntervals(b.Select(x => x.Lower).ToList(), b.Select(x => x.Upper).ToList(), b.Select(x => x.Size).ToList());

    /// <summary>Cuts a capacity x time rectangle into buffers by random guillotine cuts: a packing at exactly the capacity exists.</summary>
    private static Gen<(long Capacity, List<BufferSpec> Buffers)> PerfectPackings =>
        from capacity in Gen.Choose(4, 64)
        from horizon in Gen.Choose(4, 40)
        from cuts in Gen.ArrayOf(Gen.Choose(0, 1_000_000), 60)
        from pieces in Gen.Choose(2, 30)
        select (Capacity: (long)capacity, Buffers: Cut(capacity, horizon, cuts, pieces));

    private static List<BufferSpec> Cut(int capacity, int horizon, int[] random, int pieces)
    {
        var rects = new List<(int Offset, int Size, int Lower, int Upper)> { (0, capacity, 0, horizon) };
        for (int k = 0; k < random.Length && rects.Count < pieces; k++)
        {
            int i = random[k] % rects.Count;
            var r = rects[i];
            bool inSpace = (random[k] / 7) % 2 == 0;
            if (inSpace && r.Size > 1)
            {
                int at = 1 + random[k] / 13 % (r.Size - 1);
                rects[i] = (r.Offset, at, r.Lower, r.Upper);
                rects.Add((r.Offset + at, r.Size - at, r.Lower, r.Upper));
            }
            else if (r.Upper - r.Lower > 1)
            {
                int at = r.Lower + 1 + random[k] / 13 % (r.Upper - r.Lower - 1);
                rects[i] = (r.Offset, r.Size, r.Lower, at);
                rects.Add((r.Offset, r.Size, at, r.Upper));
            }
        }
        return rects.Select((r, i) => new BufferSpec("b" + i, r.Lower, r.Upper, r.Size)).ToList();
    }

    [Fact]
    public void On_perfect_packings_exact_reaches_the_capacity_and_the_verifier_agrees()
    {
        Prop.ForAll(Arb.From(PerfectPackings), instance =>
        {
            var (capacity, buffers) = instance;
            var plan = BufferPlanRequest.Plan("cut", buffers, capacity, TimeSpan.FromSeconds(20), PlanStrategy.Exact);
            if (plan.FitsCapacity != true) return false.Label($"no placement within {capacity} found (peak {plan.PeakBytes}, proven infeasible: {plan.ProvenInfeasible})");
            var problems = Verify(buffers, plan.Buffers.Select(b => b.Offset).ToArray(), capacity);
            if (problems.Count > 0) return false.Label(problems[0]);
            var minimised = BufferPlanRequest.Plan("cut", buffers, null, TimeSpan.FromSeconds(20), PlanStrategy.Exact);
            if (!minimised.ProvenOptimal || minimised.PeakBytes != capacity) return false.Label($"minimised peak {minimised.PeakBytes} (proven: {minimised.ProvenOptimal}), capacity {capacity}");
            return Verify(buffers, minimised.Buffers.Select(b => b.Offset).ToArray(), minimised.PeakBytes).Count == 0 ? true.Label("ok") : false.Label("minimised plan fails the verifier");
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A perfect packing of a capacity x horizon rectangle cut into up to <paramref name="pieces"/> buffers by a seeded generator.</summary>
    private static List<BufferSpec> CutSeeded(int capacity, int horizon, int pieces, Random rng) =>
        Cut(capacity, horizon, Enumerable.Range(0, 4 * pieces).Select(_ => rng.Next(0, 1_000_000)).ToArray(), pieces);

    /// <summary>Searches for a placement within the capacity (from greedy's); the plan it finds, checked by the verifier, or why it failed.</summary>
    private static string? PackAtCapacity(List<BufferSpec> buffers, long capacity)
    {
        var p = Problem(buffers);
        var solution = ExactPlacementSolver.Solve(p, GreedyPlacement.BySize(p), TimeSpan.FromSeconds(20), capacity);
        if (solution.CapacityOutcome != PackOutcome.Found) return $"no placement within {capacity} ({solution.CapacityOutcome}, peak {solution.Peak}, {buffers.Count} buffers)";
        if (solution.Peak > capacity) return $"peak {solution.Peak} above {capacity}";
        var problems = Verify(buffers, solution.Offsets, capacity);
        return problems.Count > 0 ? problems[0] : null;
    }

    /// <summary>
    /// Up to three perfect packings one after another in time (sometimes with idle time between):
    /// the search splits them apart before its first placement and must pack each at the capacity.
    /// </summary>
    [Fact]
    public void Perfect_packings_one_after_another_are_packed_at_the_capacity()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var rng = new Random(seed);
            int capacity = rng.Next(4, 65), parts = rng.Next(1, 4);
            var buffers = new List<BufferSpec>();
            long start = 0;
            for (int k = 0; k < parts; k++)
            {
                int horizon = rng.Next(4, 30);
                foreach (var b in CutSeeded(capacity, horizon, rng.Next(2, 40), rng))
                    buffers.Add(new BufferSpec($"p{k}{b.Id}", b.Lower + start, b.Upper + start, b.Size));
                start += horizon + rng.Next(0, 3);
            }
            buffers = buffers.OrderBy(_ => rng.Next()).ToList();
            var failure = PackAtCapacity(buffers, capacity);
            return failure == null ? true.Label("ok") : false.Label($"seed {seed}: {failure}");
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// A perfect packing with some buffers taken out still fits its capacity, now with room to
    /// spare: no pruning rule may reject it (the lower bound no longer settles it), and minimising
    /// the peak without a capacity ends at or below it.
    /// </summary>
    [Fact]
    public void Perfect_packings_with_buffers_removed_still_fit_their_capacity()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var rng = new Random(seed);
            int capacity = rng.Next(4, 65);
            var all = CutSeeded(capacity, rng.Next(4, 40), rng.Next(3, 45), rng);
            var kept = all.Where(_ => rng.Next(100) >= 30).ToList();
            if (kept.Count == 0) kept.Add(all[0]);
            var failure = PackAtCapacity(kept, capacity);
            if (failure != null) return false.Label($"seed {seed}: {failure}");
            // Minimised without a capacity: at most the capacity, and a valid placement.
            var p = Problem(kept);
            var minimised = ExactPlacementSolver.Solve(p, GreedyPlacement.BySize(p), TimeSpan.FromSeconds(20));
            if (minimised.Peak > capacity || minimised.Peak < p.LowerBound()) return false.Label($"seed {seed}: minimised peak {minimised.Peak}, capacity {capacity}, lower bound {p.LowerBound()}");
            var problems = Verify(kept, minimised.Offsets, minimised.Peak);
            return problems.Count == 0 ? true.Label("ok") : false.Label($"seed {seed}: {problems[0]}");
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Tiny instances built from at most three distinct buffers, so copies and idle time between buffers are common.</summary>
    private static Gen<List<BufferSpec>> TinyInstancesWithCopies =>
        from n in Gen.Choose(1, 6)
        from lower in Gen.ArrayOf(Gen.Choose(0, 9), 3)
        from length in Gen.ArrayOf(Gen.Choose(1, 4), 3)
        from size in Gen.ArrayOf(Gen.Choose(1, 4), 3)
        from pick in Gen.ArrayOf(Gen.Choose(0, 2), n)
        select Enumerable.Range(0, n).Select(i => new BufferSpec("b" + i, lower[pick[i]], lower[pick[i]] + length[pick[i]], size[pick[i]])).ToList();

    [Fact]
    public void With_copies_and_idle_time_the_proven_optimum_equals_the_brute_force_optimum()
    {
        Prop.ForAll(Arb.From(TinyInstancesWithCopies), buffers =>
        {
            var plan = BufferPlanRequest.Plan("copies", buffers, null, TimeSpan.FromSeconds(20), PlanStrategy.Exact);
            long optimum = BruteForceOptimum(buffers);
            if (!plan.ProvenOptimal || plan.PeakBytes != optimum) return false.Label($"peak {plan.PeakBytes} (proven: {plan.ProvenOptimal}), optimum {optimum}");
            var below = BufferPlanRequest.Plan("copies", buffers, optimum - 1, TimeSpan.FromSeconds(20), PlanStrategy.Exact);
            if (below.FitsCapacity != false || !below.ProvenInfeasible) return false.Label($"capacity {optimum - 1}: fits {below.FitsCapacity}, proven {below.ProvenInfeasible}");
            return Verify(buffers, plan.Buffers.Select(b => b.Offset).ToArray(), plan.PeakBytes).Count == 0 ? true.Label("ok") : false.Label("fails the verifier");
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>The smallest peak by trying every offset of every buffer (tiny instances only).</summary>
    private static long BruteForceOptimum(IReadOnlyList<BufferSpec> b)
    {
        long total = b.Sum(x => x.Size), best = total;
        var offsets = new long[b.Count];
        void Go(int i, long peak)
        {
            if (peak >= best) return;
            if (i == b.Count) { best = peak; return; }
            for (long o = 0; o + b[i].Size <= total; o++)
            {
                bool clash = false;
                for (int j = 0; j < i && !clash; j++)
                    clash = b[j].Lower < b[i].Upper && b[i].Lower < b[j].Upper && offsets[j] < o + b[i].Size && o < offsets[j] + b[j].Size;
                if (clash) continue;
                offsets[i] = o;
                Go(i + 1, Math.Max(peak, o + b[i].Size));
            }
        }
        Go(0, 0);
        return best;
    }

    private static Gen<List<BufferSpec>> TinyInstances =>
        from n in Gen.Choose(1, 6)
        from lower in Gen.ArrayOf(Gen.Choose(0, 5), n)
        from length in Gen.ArrayOf(Gen.Choose(1, 4), n)
        from size in Gen.ArrayOf(Gen.Choose(1, 4), n)
        select Enumerable.Range(0, n).Select(i => new BufferSpec("b" + i, lower[i], lower[i] + length[i], size[i])).ToList();

    [Fact]
    public void The_proven_optimum_equals_the_brute_force_optimum()
    {
        Prop.ForAll(Arb.From(TinyInstances), buffers =>
        {
            var plan = BufferPlanRequest.Plan("tiny", buffers, null, TimeSpan.FromSeconds(20), PlanStrategy.Exact);
            long optimum = BruteForceOptimum(buffers);
            if (!plan.ProvenOptimal || plan.PeakBytes != optimum) return false.Label($"peak {plan.PeakBytes} (proven: {plan.ProvenOptimal}), optimum {optimum}");
            // Below the optimum, the capacity search must prove that nothing fits.
            var below = BufferPlanRequest.Plan("tiny", buffers, optimum - 1, TimeSpan.FromSeconds(20), PlanStrategy.Exact);
            if (below.FitsCapacity != false || !below.ProvenInfeasible) return false.Label($"capacity {optimum - 1}: fits {below.FitsCapacity}, proven {below.ProvenInfeasible}");
            return Verify(buffers, plan.Buffers.Select(b => b.Offset).ToArray(), plan.PeakBytes).Count == 0 ? true.Label("ok") : false.Label("fails the verifier");
        }).QuickCheckThrowOnFailure();
    }

    private static Gen<List<BufferSpec>> SmallInstances =>
        from n in Gen.Choose(1, 40)
        from lower in Gen.ArrayOf(Gen.Choose(0, 20), n)
        from length in Gen.ArrayOf(Gen.Choose(1, 12), n)
        from size in Gen.ArrayOf(Gen.Choose(1, 64), n)
        select Enumerable.Range(0, n).Select(i => new BufferSpec("b" + i, lower[i], lower[i] + length[i], size[i])).ToList();

    [Fact]
    public void The_online_placement_used_for_very_overlapping_lists_passes_the_verifier()
    {
        Prop.ForAll(Arb.From(SmallInstances), buffers =>
        {
            var p = Problem(buffers);
            var offsets = GreedyPlacement.Online(p);
            long peak = p.PeakOf(offsets);
            if (peak < p.LowerBound()) return false.Label($"peak {peak} below the lower bound {p.LowerBound()}");
            var problems = Verify(buffers, offsets, peak);
            return problems.Count == 0 ? true.Label("ok") : false.Label(string.Join("; ", problems));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Overlapping_pairs_are_counted_as_a_pairwise_comparison_counts_them()
    {
        Prop.ForAll(Arb.From(SmallInstances), buffers =>
        {
            var p = Problem(buffers);
            long pairs = 0;
            for (int i = 0; i < p.Count; i++)
                for (int j = i + 1; j < p.Count; j++)
                    if (p.Overlap(i, j)) pairs++;
            return p.OverlapPairs() == pairs ? true.Label("ok") : false.Label($"{p.OverlapPairs()} counted, {pairs} by comparison");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_list_whose_buffers_all_overlap_is_placed_in_bounded_time_and_proven_too_big()
    {
        // 30,000 buffers alive together (450 million pairs): the pairwise heuristics and the search
        // would take minutes; the online placement stacks them at the lower bound at once.
        var rng = new Random(7);
        var buffers = Enumerable.Range(0, 30_000).Select(i => new BufferSpec("b" + i, rng.Next(0, 10), rng.Next(1000, 1010), rng.Next(1, 4096))).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = BufferPlanRequest.Plan("overlapping", buffers, 1_048_576, TimeSpan.FromSeconds(1), PlanStrategy.Auto);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(plan.LowerBoundBytes, plan.PeakBytes);
        Assert.False(plan.FitsCapacity);
        Assert.Empty(Verify(buffers, plan.Buffers.Select(b => b.Offset).ToArray(), plan.PeakBytes));
    }

    private static string Data(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "bench", "data", "minimalloc", relative);
    }

    [Theory]
    [InlineData("challenging/B.1048576.csv")]
    [InlineData("challenging/C.1048576.csv")]
    [InlineData("asplos2024/A.1048576.csv")]
    public void MiniMalloc_instances_are_packed_within_their_capacity(string file)
    {
        var path = Data(file);
        var plan = new BufferPlanRequest { File = path, Capacity = 1_048_576, TimeLimit = TimeSpan.FromSeconds(30) }.Run();
        Assert.True(plan.FitsCapacity, $"{file}: peak {plan.PeakBytes}");
        Assert.Equal("exact", plan.Strategy);
        var buffers = BufferListReader.Read(path);
        Assert.Empty(Verify(buffers, plan.Buffers.Select(b => b.Offset).ToArray(), 1_048_576));
    }

    [Fact]
    public void Auto_places_the_classifier_at_its_lower_bound_and_the_verifier_agrees()
    {
        var plan = new PlanRequest { Model = TestModels.Classifier, InputShapes = ["x=1,3,48,192"], Detailed = true, TimeLimit = TimeSpan.FromSeconds(20) }.Run();
        var d = plan.Devices[0];
        Assert.Equal(d.LowerBoundBytes, d.PeakBytes);
        Assert.True(d.ProvenOptimal);
        Assert.True(d.PeakByStrategy["greedy-by-size"] > d.PeakBytes, "the heuristics alone already reached the bound");
        Assert.Equal("exact", d.Strategy);
        Assert.Empty(PlanVerifier.Verify(d.Tensors!, d.PeakBytes, d.AlignmentBytes));
        Assert.All(d.Tensors!, t => Assert.Equal(0, t.Offset % d.AlignmentBytes));
    }

    [Fact]
    public void Exact_plans_of_random_graphs_pass_the_verifier_and_never_exceed_the_heuristics()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var rng = new Random(seed);
            int n = rng.Next(2, 60), align = new[] { 1, 16, 64 }[rng.Next(3)];
            var inputs = new List<TensorInfo> { new("in", [rng.Next(1, 5000)], DataType.UInt8) };
            var names = new List<string> { "in" };
            var nodes = new List<GraphNode>();
            for (int i = 0; i < n; i++)
            {
                var ins = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => names[rng.Next(names.Count)]).Distinct().ToList();
                nodes.Add(new GraphNode("n" + i, i % 3 == 0 ? "Add" : "Op", ins, [new TensorInfo("t" + i, [rng.Next(1, 5000)], DataType.UInt8)]));
                names.Add("t" + i);
            }
            var graph = new ModelGraph("random", inputs, nodes, [names[^1]], 0);
            var device = new DeviceProfile { Name = "d", MemoryBytes = 1L << 40, ComputeUnits = rng.Next(1, 4), AlignmentBytes = align, Source = "test" };
            var d = MemoryPlanner.Plan(graph, [device], PlanStrategy.Exact, detailed: true, timeLimit: TimeSpan.FromSeconds(5)).Devices[0];
            var problems = PlanVerifier.Verify(d.Tensors!, d.PeakBytes, d.AlignmentBytes);
            if (problems.Count > 0) return false.Label(problems[0]);
            if (d.PeakBytes > d.PeakByStrategy["greedy-by-size"]) return false.Label("exact above greedy");
            if (d.PeakBytes < d.LowerBoundBytes) return false.Label("below the lower bound");
            return true.Label("ok");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_exact_stage_keeps_its_time_limit_on_a_large_graph()
    {
        var rng = new Random(7);
        var inputs = new List<TensorInfo> { new("in", [1, 64, 56, 56], DataType.Float32) };
        var names = new List<string> { "in" };
        var nodes = new List<GraphNode>();
        for (int i = 1; i < 30_000; i++)
        {
            var ins = new List<string> { names[^1] };
            if (i % 4 == 0 && names.Count > 12) ins.Add(names[names.Count - rng.Next(2, 12)]);
            var o = new TensorInfo("t" + i, [1, 16L << rng.Next(0, 5), 7L << rng.Next(0, 4), 7L << rng.Next(0, 4)], DataType.Float32);
            nodes.Add(new GraphNode("n" + i, i % 4 == 0 ? "Add" : "Conv", ins.Distinct().ToList(), [o]));
            names.Add(o.Name);
        }
        var graph = new ModelGraph("large", inputs, nodes, [names[^1]], 0);
        var cpu = ProfileCatalog.Resolve("cpu");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var d = MemoryPlanner.Plan(graph, cpu, PlanStrategy.Exact, timeLimit: TimeSpan.FromMilliseconds(500)).Devices[0];
        var planning = clock.Elapsed;
        Assert.True(d.ExactSeconds < 0.5 + 0.25, $"exact ran {d.ExactSeconds:0.000} s for a 0.5 s limit");
        Assert.True(d.PeakBytes <= d.PeakByStrategy["greedy-by-size"]);
        Assert.True(d.ProvenOptimal || d.PeakBytes >= d.ProvenFloorBytes);
        Assert.True(planning < TimeSpan.FromSeconds(30), $"planning took {planning}");
    }
}
