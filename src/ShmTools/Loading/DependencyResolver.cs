using System.Reflection;
using System.Runtime.Loader;

namespace ShmTools.Loading;

/// <summary>
/// Answers the default context's failed lookups for the file-format assembly (and only for it) from
/// <see cref="DependencyLoadContext"/>. Installed once per process and never removed: load-context
/// hooks are process-wide, and another runspace may still be using the module after one removes it.
/// Touches no PowerShell type, so it can be exercised without a PowerShell host.
/// </summary>
public static class DependencyResolver
{
    public const string FormatsAssembly = "ShmTools.Formats";
    private static readonly object Gate = new();
    private static bool _hooked;

    public static string DependencyFolder =>
        Path.Combine(Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "dependencies");

    public static bool IsHooked => _hooked;

    public static void Hook()
    {
        lock (Gate)
        {
            if (_hooked) return;
            var context = DependencyLoadContext.For(DependencyFolder);
            AssemblyLoadContext.Default.Resolving += (_, name) => Resolve(context, name);
            _hooked = true;
        }
    }

    /// <summary>The file-format assembly's path in the dependencies folder.</summary>
    public static string FormatsPath => Path.Combine(DependencyFolder, FormatsAssembly + ".dll");

    // Loads by path, never by name: a name the private context cannot find falls back to the default
    // context, whose Resolving event would call us again (endless recursion when a file is missing).
    private static Assembly? Resolve(DependencyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, FormatsAssembly, StringComparison.OrdinalIgnoreCase)) return null;
        string path = FormatsPath;
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
