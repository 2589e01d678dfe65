using ShmTools.Core.Planning.Graph;

namespace ShmTools.Core.Formats;

/// <summary>Reads a graph file (.yaml/.yml/.json). Implemented outside Core, where the YAML package lives.</summary>
public interface IGraphFileReader
{
    ModelGraph Read(string path);
}
