using ShmTools.Core.Planning.Graph;

namespace ShmTools.Core.Formats;

/// <summary>Reads an ONNX model. Implemented outside Core, where the protobuf package lives.</summary>
public interface IOnnxModelReader
{
    /// <summary>The model's graph, symbolic input dimensions bound from <paramref name="inputShapes"/>.</summary>
    ModelGraph Read(string path, IReadOnlyDictionary<string, long[]>? inputShapes);
}
