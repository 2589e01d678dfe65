using System.Reflection;
using System.Runtime.Loader;

namespace ShmTools.Loading;

/// <summary>
/// The private load context for the engine and its packages (YamlDotNet, Google.Protobuf), which
/// live in the module's dependencies/ folder where default probing never finds them. Another
/// module's copy of the same packages in the default context therefore never meets ours.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    private DependencyLoadContext(string folder) : base("ShmTools", isCollectible: false) => _folder = folder;

    public static DependencyLoadContext For(string folder) => Instances.GetOrAdd(folder, f => new DependencyLoadContext(f));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DependencyLoadContext> Instances = new();

    protected override Assembly? Load(AssemblyName name)
    {
        string path = Path.Combine(_folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
