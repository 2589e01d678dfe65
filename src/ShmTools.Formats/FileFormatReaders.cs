using ShmTools.Core.Formats;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Onnx;
using ShmTools.Core.Profiles;

namespace ShmTools.Formats;

/// <summary>The readers Core's <see cref="FileFormats"/> seam expects, over YamlDotNet and Google.Protobuf.</summary>
public sealed class FileFormatReaders : IProfileReader, IGraphFileReader, IOnnxModelReader
{
    private FileFormatReaders() { }

    /// <summary>Registers these readers with Core. Front ends call it once at start-up.</summary>
    public static void Register()
    {
        var readers = new FileFormatReaders();
        FileFormats.Register(readers, readers, readers);
    }

    public IReadOnlyList<DeviceProfile> Read(TextReader reader, string source) => ProfileReader.Read(reader, source);

    public IReadOnlyList<DeviceProfile> ReadFile(string path) => ProfileReader.ReadFile(path);

    ModelGraph IGraphFileReader.Read(string path) => GraphFileReader.Read(path);

    ModelGraph IOnnxModelReader.Read(string path, IReadOnlyDictionary<string, long[]>? inputShapes) => OnnxModelReader.Read(path, inputShapes);
}
