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
        RegisterFileFormats();
    }

    // Separate and never inlined: compiling OnImport must not need ShmTools.Formats, which can only be
    // found once the resolver above is installed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFileFormats() => ShmTools.Formats.FileFormatReaders.Register();
}
