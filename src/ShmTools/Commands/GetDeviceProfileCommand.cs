using System.Management.Automation;
using ShmTools.Core.Profiles;

namespace ShmTools.Commands;

/// <summary>Get-DeviceProfile: the built-in and user device profiles the planner can use.</summary>
[Cmdlet(VerbsCommon.Get, "DeviceProfile", HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Get-DeviceProfile.md")]
[OutputType(typeof(DeviceProfile))]
public sealed class GetDeviceProfileCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Also read profiles from these YAML files or directories.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            WriteObject(ProfileCatalog.Find(Name ?? [], (Path ?? []).Select(p => GetUnresolvedProviderPathFromPSPath(p))), enumerateCollection: true);
        }
        catch (ProfileFormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidDeviceProfile", ErrorCategory.InvalidData, Path));
        }
    }
}
