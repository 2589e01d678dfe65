using System.Reflection;
using System.Runtime.Loader;

namespace ShmTools.Loading;

/// <summary>
/// Answers the default context's failed lookups for the engine assembly (and only for it) from
/// <see cref="DependencyLoadContext"/>. Touches no PowerShell type, so it can be exercised
/// without a PowerShell host.
/// </summary>
public static class DependencyResolver
{
    public const string EngineAssembly = "ShmTools.Core";
    private static Func<AssemblyLoadContext, AssemblyName, Assembly?>? _handler;

    public static string DependencyFolder =>
        Path.Combine(Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "dependencies");

    public static void Hook()
    {
        if (_handler != null) return;
        var context = DependencyLoadContext.For(DependencyFolder);
        _handler = (_, name) => name.Name == EngineAssembly ? context.LoadFromAssemblyName(name) : null;
        AssemblyLoadContext.Default.Resolving += _handler;
    }

    public static void Unhook()
    {
        if (_handler == null) return;
        AssemblyLoadContext.Default.Resolving -= _handler;
        _handler = null;
    }
}
