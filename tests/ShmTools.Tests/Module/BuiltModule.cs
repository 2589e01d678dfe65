using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ShmTools.Tests.Module;

/// <summary>
/// The built module folder (out/ShmTools), opened for inspection only: its assemblies are read
/// as metadata (MetadataLoadContext), never loaded or run.
/// </summary>
public sealed class BuiltModule : IDisposable
{
    public BuiltModule()
    {
        RepoRoot = FindRepoRoot();
        Folder = Path.Combine(RepoRoot, "out", "ShmTools");
        var sma = Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll");
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(Folder, "*.dll", SearchOption.AllDirectories))
            .Append(sma);
        Context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Assembly = Context.LoadFromAssemblyPath(Path.Combine(Folder, "ShmTools.dll"));
        Manifest = File.ReadAllText(Path.Combine(Folder, "ShmTools.psd1"));
        FormatXml = File.ReadAllText(Path.Combine(Folder, "ShmTools.format.ps1xml"));
    }

    public string RepoRoot { get; }
    public string Folder { get; }
    public MetadataLoadContext Context { get; }
    public Assembly Assembly { get; }
    public string Manifest { get; }
    public string FormatXml { get; }

    public IEnumerable<Type> CmdletTypes => Assembly.GetTypes().Where(t => CmdletAttribute(t) != null);

    public static CustomAttributeData? CmdletAttribute(Type t) =>
        t.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");

    public static string CmdletName(Type t)
    {
        var a = CmdletAttribute(t)!;
        return a.ConstructorArguments[0].Value + "-" + a.ConstructorArguments[1].Value;
    }

    public IReadOnlyList<string> ManifestList(string key)
    {
        var m = Regex.Match(Manifest, key + @"\s*=\s*@\(([^)]*)\)");
        return m.Success ? Regex.Matches(m.Groups[1].Value, "'([^']+)'").Select(x => x.Groups[1].Value).ToList() : [];
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (Directory.Build.props) not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => Context.Dispose();
}
