using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Tests.Planning;

/// <summary>The seed method's rules on small hand-written graphs, where the right answer is known.</summary>
public sealed class PlannerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shmtools-graph-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static DeviceProfile Device(string name, long memory, long reserved = 0, int units = 1, string[]? ops = null, int align = 64) => new()
    {
        Name = name, MemoryBytes = memory, ReservedBytes = reserved, ComputeUnits = units, AlignmentBytes = align,
        SupportedOperators = ops ?? [], Source = "test",
    };

    // x(6400 B) -conv-> a(3200 B) -relu-> b(6400 B) -conv-> c(640 B)
    private const string Chain = """
        name: chain
        inputs: [ { name: x, shape: [1, 1, 40, 40], dtype: float32 } ]
        nodes:
          - { name: conv1, op: Conv, inputs: [x], outputs: [ { name: a, shape: [1, 1, 20, 40], dtype: float32 } ], weightsBytes: 1000 }
          - { name: relu1, op: Relu, inputs: [a], outputs: [ { name: b, shape: [1, 1, 40, 40], dtype: float32 } ] }
          - { name: conv2, op: Conv, inputs: [b], outputs: [ { name: c, shape: [1, 1, 10, 16], dtype: float32 } ], weightsBytes: 500 }
        outputs: [c]
        """;

    [Fact]
    public void Use_count_reuses_the_first_free_block_that_is_large_enough()
    {
        var graph = GraphFileReader.Read(Write("chain.yaml", Chain));
        var d = MemoryPlanner.Plan(graph, [Device("npu", 1 << 20)], PlanStrategy.UseCount, detailed: true).Devices[0];
        var at = d.Tensors!.ToDictionary(t => t.Name);
        // x takes block 0; a cannot reuse it (x is still being read), so block 1; b reuses block 0
        // (x's count reached 0 and 6400 >= 6400); c reuses block 1 (a is done, 3200 >= 640).
        Assert.Equal((0, 1, 0, 1), (at["x"].Block, at["a"].Block, at["b"].Block, at["c"].Block));
        Assert.Equal(2, d.Blocks.Count);
        Assert.Equal(6400 + 3200, d.PeakBytes);
        Assert.Equal(6400 + 3200, d.LowerBoundBytes);
        Assert.Equal(6400 + 3200 + 6400 + 640, d.NaiveBytes);
        Assert.Equal(1500, d.WeightsBytes);
        Assert.Empty(PlanVerifier.Verify(d.Tensors!, d.PeakBytes, d.AlignmentBytes));
    }

    [Fact]
    public void Operator_support_cuts_sub_functions_and_crossing_tensors_become_transfers()
    {
        var graph = GraphFileReader.Read(Write("chain.json", System.Text.Json.JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "x", shape = new[] { 1, 1, 40, 40 }, dtype = "float32" } },
            nodes = new object[]
            {
                new { name = "conv1", op = "Conv", inputs = new[] { "x" }, outputs = new[] { new { name = "a", shape = new[] { 1, 1, 20, 40 }, dtype = "float32" } } },
                new { name = "relu1", op = "Relu", inputs = new[] { "a" }, outputs = new[] { new { name = "b", shape = new[] { 1, 1, 40, 40 }, dtype = "float16" } } },
                new { name = "conv2", op = "Conv", inputs = new[] { "b" }, outputs = new[] { new { name = "c", shape = new[] { 1, 1, 10, 16 }, dtype = "float32" } } },
            },
            outputs = new[] { "c" },
        })));
        var plan = MemoryPlanner.Plan(graph, [Device("npu", 1 << 20, ops: ["Conv"]), Device("cpu", 1 << 30)]);
        Assert.Equal(["npu", "cpu"], plan.Devices.Select(d => d.Name));
        Assert.Equal(2, plan.Devices[0].SubFunctions.Count);
        Assert.Equal(["conv1", "conv2"], plan.Devices[0].SubFunctions.Select(s => s.FirstNode));
        Assert.Equal("relu1", Assert.Single(plan.Devices[1].SubFunctions).FirstNode);
        Assert.Equal([("a", "npu", "cpu", 3200L), ("b", "cpu", "npu", 3200L)], plan.Transfers.Select(t => (t.Tensor, t.From, t.To, t.Bytes)));
    }

    [Fact]
    public void Reserved_memory_compensates_and_overflow_is_reported()
    {
        var graph = GraphFileReader.Read(Write("chain.yaml", Chain));
        // need = 9600 activation + 1500 weights = 11100
        var tight = MemoryPlanner.Plan(graph, [Device("small", 12_000, reserved: 2_000)]).Devices[0];
        Assert.Equal((10_000L, 1_100L, true, 0L), (tight.TargetBytes, tight.CompensationBytes, tight.Fits, tight.OverflowBytes));
        var tiny = MemoryPlanner.Plan(graph, [Device("tiny", 10_000, reserved: 1_000)]).Devices[0];
        Assert.Equal((1_000L, false, 1_100L), (tiny.CompensationBytes, tiny.Fits, tiny.OverflowBytes));
    }

    [Fact]
    public void Compute_units_run_independent_operators_in_the_same_step()
    {
        var graph = GraphFileReader.Read(Write("fork.yaml", """
            inputs: [ { name: x, shape: [256] } ]
            nodes:
              - { name: l, op: Relu, inputs: [x], outputs: [ { name: a, shape: [256] } ] }
              - { name: r, op: Sigmoid, inputs: [x], outputs: [ { name: b, shape: [256] } ] }
              - { name: j, op: Add, inputs: [a, b], outputs: [ { name: y, shape: [256] } ] }
            outputs: [y]
            """));
        var one = MemoryPlanner.Plan(graph, [Device("one", 1 << 20, units: 1)]).Devices[0];
        var two = MemoryPlanner.Plan(graph, [Device("two", 1 << 20, units: 2)]).Devices[0];
        Assert.Equal((3, 2), (one.Steps, two.Steps));
        Assert.Equal(2, two.SubFunctions[0].ExecutionUnits);
        Assert.True(two.LowerBoundBytes >= one.LowerBoundBytes);
    }

    [Theory]
    [InlineData("inputs: [ { name: x, shape: [4] } ]\nnodes:\n  - { name: n, op: Relu, inputs: [nope], outputs: [ { name: y, shape: [4] } ] }\noutputs: [y]\n", "node 'n' (Relu) reads 'nope'")]
    [InlineData("inputs: [ { name: x, shape: [4] } ]\nnodes:\n  - { name: n1, op: Add, inputs: [x, z], outputs: [ { name: y, shape: [4] } ] }\n  - { name: n2, op: Relu, inputs: [y], outputs: [ { name: z, shape: [4] } ] }\noutputs: [z]\n", "reads 'z', which no graph input or earlier node produces (unknown name, or a cycle)")]
    [InlineData("inputs: [ { name: x, shape: [4000000000, 4000000000, 4000000000] } ]\nnodes: []\noutputs: []\n", ":1:29: tensor 'x': shape [4000000000,4000000000,4000000000] overflows")]
    [InlineData("inputs: [ { name: x, shape: [4], dtype: float8 } ]\n", ":1:11: tensor 'x': unknown dtype 'float8'")]
    [InlineData("inputs: [ { name: x, shape: [4] } ]\nnodez: []\n", ":2:1: unknown key 'nodez'")]
    [InlineData("inputs: [ { name: x, shape: [4] } ]\nnodes: []\n", "the graph has no nodes")]
    public void Bad_graph_files_are_named_errors(string yaml, string expected)
    {
        var path = Write("bad.yaml", yaml);
        var ex = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(path));
        Assert.StartsWith(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void An_operator_no_device_supports_is_named()
    {
        var graph = GraphFileReader.Read(Write("chain.yaml", Chain));
        var ex = Assert.Throws<ModelFormatException>(() => MemoryPlanner.Plan(graph, [Device("npu", 1 << 20, ops: ["Conv"])]));
        Assert.Contains("node 'relu1' (Relu): no device profile given supports Relu", ex.Message);
    }
}
