using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Plan;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Planning;

/// <summary>
/// A plan that overwrites an input in place can need less than every tensor in memory of its own;
/// the lower bound it is reported against must still be a floor for it.
/// </summary>
public sealed class InPlaceBoundTests
{
    [Theory]
    [InlineData(PlanStrategy.Auto)]
    [InlineData(PlanStrategy.UseCount)]
    [InlineData(PlanStrategy.UseCountInPlace)]
    [InlineData(PlanStrategy.GreedyBySize)]
    [InlineData(PlanStrategy.Exact)]
    public void No_plan_is_below_the_lower_bound_it_is_reported_against(PlanStrategy strategy)
    {
        // x -> Relu -> y -> Sigmoid -> z: each element-wise step may overwrite its input.
        string graph = Path.Combine(Path.GetTempPath(), Unique.Name("inplace") + ".json");
        File.WriteAllText(graph, """
            {"inputs": [{"name": "x", "shape": [1, 1000]}],
             "nodes": [{"name": "r", "op": "Relu", "inputs": ["x"], "outputs": [{"name": "y", "shape": [1, 1000]}]},
                       {"name": "s", "op": "Sigmoid", "inputs": ["y"], "outputs": [{"name": "z", "shape": [1, 1000]}]}],
             "outputs": ["z"]}
            """);
        try
        {
            var device = Assert.Single(new PlanRequest { Model = graph, Strategy = strategy }.Run().Devices);
            Assert.True(device.PeakBytes >= device.LowerBoundBytes, $"{strategy}: peak {device.PeakBytes} below the lower bound {device.LowerBoundBytes}");
            Assert.True(device.PeakOverLowerBound >= 1.0);
            if (device.ProvenOptimal) Assert.Equal(device.LowerBoundBytes, device.PeakBytes);
            if (strategy == PlanStrategy.Auto) Assert.Equal(4032, device.PeakBytes); // one 1000-float tensor, 64-aligned: in place all the way
        }
        finally
        {
            File.Delete(graph);
        }
    }
}
