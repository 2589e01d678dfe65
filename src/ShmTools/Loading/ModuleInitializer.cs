using System.Management.Automation;

namespace ShmTools.Loading;

/// <summary>Runs when PowerShell imports the module: before any cmdlet touches the engine.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => DependencyResolver.Hook();

    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unhook();
}
