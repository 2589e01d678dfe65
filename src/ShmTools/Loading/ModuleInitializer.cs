using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace ShmTools.Loading;

/// <summary>
/// Runs when PowerShell imports the module (also on autoload), before any cmdlet runs: installs the
/// resolver for the file-format assembly, then registers its readers with Core. Nothing is undone on
/// Remove-Module: the hook is process-wide and another runspace may still use the module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        DependencyResolver.Hook();
        try
        {
            RegisterFileFormats();
        }
        catch (FileNotFoundException ex)
        {
            throw new FileNotFoundException(
                $"ShmTools is not completely installed: {DependencyResolver.FormatsPath} or one of its packages beside it is missing ({ex.FileName}). Reinstall the module.",
                ex.FileName, ex);
        }
    }

    // Separate and never inlined: compiling OnImport must not need ShmTools.Formats, which can only be
    // found once the resolver above is installed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFileFormats()
    {
        ShmTools.Formats.FileFormatReaders.Register();
        // The readers' packages load only when a profile or model is first read: check now that they are there.
        foreach (var reference in typeof(ShmTools.Formats.FileFormatReaders).Assembly.GetReferencedAssemblies())
        {
            string path = Path.Combine(DependencyResolver.DependencyFolder, reference.Name + ".dll");
            bool shipped = reference.Name is not (null or "netstandard" or "ShmTools.Core") && !reference.Name.StartsWith("System", StringComparison.Ordinal)
                && !reference.Name.StartsWith("Microsoft", StringComparison.Ordinal);
            if (shipped && !File.Exists(path)) throw new FileNotFoundException("missing " + path, path);
        }
    }
}
