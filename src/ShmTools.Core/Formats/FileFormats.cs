namespace ShmTools.Core.Formats;

/// <summary>
/// The readers of the file formats that need third-party packages (YAML profiles and graphs, ONNX
/// models). Core does not reference them: each front end registers them once at start-up
/// (ShmTools.Formats' <c>FileFormatReaders.Register()</c>), and Core reaches them only through here.
/// </summary>
public static class FileFormats
{
    private static volatile Registration? _current;

    private sealed record Registration(IProfileReader Profiles, IGraphFileReader Graphs, IOnnxModelReader Onnx);

    /// <summary>Installs the readers; a later call replaces them (registering twice is harmless).</summary>
    public static void Register(IProfileReader profiles, IGraphFileReader graphs, IOnnxModelReader onnx)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(onnx);
        _current = new Registration(profiles, graphs, onnx);
    }

    public static bool IsRegistered => _current != null;

    public static IProfileReader Profiles => Current.Profiles;

    public static IGraphFileReader Graphs => Current.Graphs;

    public static IOnnxModelReader Onnx => Current.Onnx;

    private static Registration Current => _current
        ?? throw new InvalidOperationException("The file format readers (ShmTools.Formats) were not registered: call ShmTools.Formats.FileFormatReaders.Register() at start-up.");
}
