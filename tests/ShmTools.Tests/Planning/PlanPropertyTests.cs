using FsCheck;
using FsCheck.Fluent;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Tests.Planning;

/// <summary>Property tests: on random graphs every strategy's plan passes the independent verifier.</summary>
public sealed class PlanPropertyTests
{
    /// <summary>A random DAG: each node has a size and picks up to three earlier tensors as inputs.</summary>
    public sealed record Spec(int[] Sizes, int[][] Picks, int Units, int Align);

    private static Gen<Spec> Specs =>
        from n in Gen.Choose(1, 40)
        from sizes in Gen.ArrayOf(Gen.Choose(1, 5000), n)
        from picks in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 1000), 3), n)
        from fan in Gen.ArrayOf(Gen.Choose(1, 3), n)
        from units in Gen.Elements(1, 2, 4)
        from align in Gen.Elements(1, 16, 64, 256)
        select new Spec(sizes, picks.Select((p, i) => p.Take(fan[i]).ToArray()).ToArray(), units, align);

    private static ModelGraph Build(Spec s)
    {
        var inputs = new List<TensorInfo> { new("in", [s.Sizes[0]], DataType.UInt8) };
        var names = new List<string> { "in" };
        var nodes = new List<GraphNode>();
        for (int i = 0; i < s.Sizes.Length; i++)
        {
            var ins = s.Picks[i].Select(p => names[p % names.Count]).Distinct().ToList();
            var outName = "t" + i;
            nodes.Add(new GraphNode("n" + i, i % 3 == 0 ? "Add" : "Op", ins, [new TensorInfo(outName, [s.Sizes[i]], DataType.UInt8)]));
            names.Add(outName);
        }
        return new ModelGraph("random", inputs, nodes, [names[^1]], 0);
    }

    [Fact]
    public void Every_strategy_yields_a_verified_plan_no_lower_than_the_bound()
    {
        Prop.ForAll(Arb.From(Specs), spec =>
        {
            var graph = Build(spec);
            graph.Validate("random");
            var device = new DeviceProfile { Name = "d", MemoryBytes = 1L << 40, ComputeUnits = spec.Units, AlignmentBytes = spec.Align, Source = "test" };
            foreach (var strategy in new[] { PlanStrategy.UseCount, PlanStrategy.UseCountInPlace, PlanStrategy.GreedyBySize, PlanStrategy.Auto })
            {
                var d = MemoryPlanner.Plan(graph, [device], strategy, detailed: true).Devices[0];
                var problems = PlanVerifier.Verify(d.Tensors!, d.PeakBytes, d.AlignmentBytes);
                if (problems.Count > 0) return false.Label($"{strategy}: {problems[0]}");
                if (d.PeakBytes < d.LowerBoundBytes && strategy is not (PlanStrategy.UseCountInPlace or PlanStrategy.Auto))
                    return false.Label($"{strategy}: peak {d.PeakBytes} below the lower bound {d.LowerBoundBytes}");
                if (d.Tensors!.Count != spec.Sizes.Length + 1) return false.Label($"{strategy}: {d.Tensors.Count} tensors placed");
            }
            return true.Label("ok");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_verifier_catches_overlaps_misalignment_and_escapes()
    {
        TensorPlacement T(string n, int first, int last, long offset, long bytes) => new(n, [bytes], "uint8", bytes, "d", first, last, 0, offset) { AlignedBytes = bytes };
        Assert.Contains("overlaps", Assert.Single(PlanVerifier.Verify([T("a", 0, 2, 0, 64), T("b", 2, 3, 32, 64)], 128, 32)));
        Assert.Empty(PlanVerifier.Verify([T("a", 0, 1, 0, 64), T("b", 2, 3, 32, 64)], 128, 32));
        Assert.Contains("alignment", Assert.Single(PlanVerifier.Verify([T("a", 0, 1, 8, 64)], 128, 16)));
        Assert.Empty(PlanVerifier.Verify([T("a", 0, 2, 0, 64), T("b", 2, 3, 0, 64) with { InPlaceOf = "a" }], 128, 32)); // declared in-place
        Assert.Single(PlanVerifier.Verify([T("a", 0, 3, 0, 64), T("b", 2, 3, 0, 64) with { InPlaceOf = "a" }], 128, 32)); // but a lives on
        Assert.Contains("outside the arena", Assert.Single(PlanVerifier.Verify([T("a", 0, 1, 64, 128)], 128, 64)));
    }
}
