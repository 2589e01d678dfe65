using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;
using ShmTools.Tests.Support;
using Xunit.Abstractions;

namespace ShmTools.Tests.Planning;

/// <summary>PaddleOCR's real models, planned at realistic input shapes and checked by the verifier.</summary>
public sealed class RealModelTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, long[], long[]> Models => new()
    {
        { "det", "t4", [1, 3, 640, 640], [1, 1, 640, 640] },
        { "rec", "cpu", [1, 3, 48, 320], [1, 40, 6625] },
        { "cls", "jetson-agx-orin-64gb", [1, 3, 48, 192], [1, 2] },
    };

    private static string PathOf(string model) => model switch
    {
        "det" => TestModels.Detection,
        "rec" => TestModels.Recognition,
        _ => TestModels.Classifier,
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_strategy_makes_a_sound_plan_and_auto_is_near_the_lower_bound(string model, string profile, long[] input, long[] outputShape)
    {
        var graph = ModelLoader.Load(PathOf(model), new Dictionary<string, long[]> { ["x"] = input });
        Assert.Equal(outputShape, graph.Tensors[graph.Outputs[0]].Shape);
        Assert.True(graph.WeightsBytes > 100_000);
        var devices = ProfileCatalog.Resolve(profile);
        var peaks = new Dictionary<PlanStrategy, long>();
        foreach (var strategy in new[] { PlanStrategy.UseCount, PlanStrategy.UseCountInPlace, PlanStrategy.GreedyBySize, PlanStrategy.Auto })
        {
            var d = Assert.Single(MemoryPlanner.Plan(graph, devices, strategy, detailed: true).Devices);
            Assert.Empty(PlanVerifier.Verify(d.Tensors!, d.PeakBytes, d.AlignmentBytes));
            Assert.True(d.PeakBytes >= d.LowerBoundBytes);
            Assert.True(d.NaiveBytes > d.PeakBytes);
            Assert.True(d.Fits);
            peaks[strategy] = d.PeakBytes;
            output.WriteLine($"{model} on {profile}, {strategy}: peak {d.PeakBytes} lower bound {d.LowerBoundBytes} peak/lb {d.PeakOverLowerBound:0.000} naive/peak {d.NaiveOverPeak:0.0} ({d.Strategy}, {d.Steps} steps, {d.Blocks.Count} blocks)");
        }
        Assert.True(peaks[PlanStrategy.GreedyBySize] <= peaks[PlanStrategy.UseCount], "greedy-by-size is never worse than use-count");
        Assert.True(peaks[PlanStrategy.UseCountInPlace] < peaks[PlanStrategy.UseCount], "in-place reuse saves memory on these CNNs");
        var inPlace = MemoryPlanner.Plan(graph, devices, PlanStrategy.UseCountInPlace, detailed: true).Devices[0].Tensors!;
        var pairs = inPlace.Where(t => t.InPlaceOf != null).ToList();
        Assert.NotEmpty(pairs);
        var byName = inPlace.ToDictionary(t => t.Name);
        Assert.All(pairs, t => Assert.Equal((byName[t.InPlaceOf!].Offset, byName[t.InPlaceOf!].LastStep), (t.Offset, t.FirstStep)));
        Assert.True(peaks[PlanStrategy.Auto] <= peaks.Values.Min());
        var auto = MemoryPlanner.Plan(graph, devices).Devices[0];
        Assert.True(auto.PeakOverLowerBound < 1.06, $"auto is {auto.PeakOverLowerBound:0.000}x the lower bound");
    }

    [Fact]
    public void Symbolic_inputs_without_a_shape_are_a_clear_error()
    {
        var ex = Assert.Throws<ShmTools.Core.Planning.Graph.ModelFormatException>(() => ModelLoader.Load(TestModels.Classifier));
        Assert.Contains("input 'x' has symbolic dimensions", ex.Message);
        Assert.Contains("input shape x=D1,D2", ex.Message);
        Assert.DoesNotContain("--", ex.Message);
        ex = Assert.Throws<ShmTools.Core.Planning.Graph.ModelFormatException>(() => ModelLoader.Load(TestModels.Classifier, new Dictionary<string, long[]> { ["y"] = [1, 3, 48, 192] }));
        Assert.Contains("'y'", ex.Message);
    }

    [Fact]
    public void Truncated_and_random_bytes_are_rejected_without_a_hang()
    {
        string dir = Directory.CreateTempSubdirectory("shmtools-onnx-").FullName;
        try
        {
            var bytes = File.ReadAllBytes(TestModels.Classifier);
            foreach (var cut in new[] { 10, 300, bytes.Length / 2, bytes.Length - 7 })
            {
                string truncated = Path.Combine(dir, $"cut{cut}.onnx");
                File.WriteAllBytes(truncated, bytes[..cut]);
                var ex = Assert.Throws<ShmTools.Core.Planning.Graph.ModelFormatException>(() => ModelLoader.Load(truncated, new Dictionary<string, long[]> { ["x"] = [1, 3, 48, 192] }));
                Assert.Contains(truncated, ex.Message);
            }
            var random = new byte[100_000];
            new Random(7).NextBytes(random);
            string noise = Path.Combine(dir, "noise.onnx");
            File.WriteAllBytes(noise, random);
            Assert.Contains(noise, Assert.Throws<ShmTools.Core.Planning.Graph.ModelFormatException>(() => ModelLoader.Load(noise)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_chart_is_written_with_one_rectangle_per_tensor()
    {
        string svg = Path.Combine(Path.GetTempPath(), Unique.Name("plan") + ".svg");
        try
        {
            var plan = new PlanRequest { Model = TestModels.Classifier, InputShapes = ["x=1,3,48,192"], ChartPath = svg }.Run();
            var text = File.ReadAllText(svg);
            Assert.StartsWith("<svg", text);
            Assert.Contains("lower bound", text);
            Assert.Equal(plan.Devices[0].Blocks.Sum(b => b.Tensors), System.Text.RegularExpressions.Regex.Matches(text, "<rect x=").Count);
            Assert.Null(plan.Devices[0].Tensors); // not asked for -Detailed
        }
        finally
        {
            File.Delete(svg);
        }
    }

    [Fact]
    public void A_plan_names_its_model_file_and_keeps_the_models_own_words_apart()
    {
        var plan = new PlanRequest { Model = TestModels.Classifier, InputShapes = ["x=1,3,48,192"] }.Run();
        Assert.Equal(Path.GetFileName(TestModels.Classifier), plan.Model);
        Assert.Equal(TestModels.Classifier, plan.ModelPath);
        Assert.False(string.IsNullOrWhiteSpace(plan.Description)); // PaddlePaddle's exporter says where the model is from
        Assert.NotEqual(plan.Model, plan.Description);

        var cli = ShmToolsCli.Invoke("plan", "--model", TestModels.Classifier, "--input-shape", "x=1,3,48,192", "--json");
        Assert.Equal(0, cli.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(cli.Stdout);
        Assert.Equal(plan.Model, json.RootElement.GetProperty("model").GetString());
        Assert.Equal(plan.Description, json.RootElement.GetProperty("description").GetString());
    }

    [Fact]
    public void A_models_own_words_reach_people_without_control_characters_and_within_200_characters()
    {
        string graph = Path.Combine(Path.GetTempPath(), Unique.Name("words") + ".json");
        string name = "\u001b[31mred\n FITS  yes \u001b]0;title\u0007" + new string('x', 5000);
        File.WriteAllText(graph, "{\"name\": \"" + name + "\", \"inputs\": [{\"name\": \"x\", \"shape\": [1, 8]}], \"nodes\": [{\"name\": \"r\", \"op\": \"Relu\", \"inputs\": [\"x\"], \"outputs\": [{\"name\": \"y\", \"shape\": [1, 8]}]}], \"outputs\": [\"y\"]}");
        try
        {
            var plan = new PlanRequest { Model = graph }.Run();
            Assert.NotNull(plan.Description);
            Assert.DoesNotContain(plan.Description!, c => c < 0x20 || c == 0x7f);
            Assert.True(plan.Description!.Length <= 200, $"{plan.Description.Length} characters");
            Assert.StartsWith("\\x1b[31mred", plan.Description);
            var table = ShmToolsCli.Invoke("plan", "--model", graph);
            Assert.Equal(0, table.ExitCode);
            Assert.DoesNotContain('\u001b', table.Stdout);
        }
        finally
        {
            File.Delete(graph);
        }
    }
}
