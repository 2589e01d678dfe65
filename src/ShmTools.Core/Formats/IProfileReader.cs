using ShmTools.Core.Profiles;

namespace ShmTools.Core.Formats;

/// <summary>Reads YAML device profiles. Implemented outside Core, where the YAML package lives.</summary>
public interface IProfileReader
{
    /// <summary>The profiles in one document; <paramref name="source"/> names it in errors.</summary>
    IReadOnlyList<DeviceProfile> Read(TextReader reader, string source);

    /// <summary>The profiles in one file.</summary>
    IReadOnlyList<DeviceProfile> ReadFile(string path);
}
