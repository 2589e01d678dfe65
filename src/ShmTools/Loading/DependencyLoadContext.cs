using System.Reflection;
using System.Runtime.Loader;

namespace ShmTools.Loading;

/// <summary>
/// The private load context for the file-format readers (ShmTools.Formats) and their packages
/// (YamlDotNet, Google.Protobuf), which live in the module's dependencies/ folder where default
/// probing never looks. Another module's copy of the same packages in the default context therefore
/// never meets ours. The object model is shared: ShmTools and ShmTools.Core are never loaded here,
/// they resolve from the default context, so records the readers return are the types users see.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DependencyLoadContext> Instances = new();
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase) { "ShmTools", "ShmTools.Core" };

    private readonly string _folder;

    private DependencyLoadContext(string folder) : base("ShmTools", isCollectible: false) => _folder = folder;

    /// <summary>The one context for a dependencies/ folder (one per process).</summary>
    public static DependencyLoadContext For(string folder) => Instances.GetOrAdd(Path.GetFullPath(folder), f => new DependencyLoadContext(f));

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name == null || Shared.Contains(name.Name)) return null; // from the default context
        string path = Path.Combine(_folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
