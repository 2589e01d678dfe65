using System.Management.Automation;
using ShmTools.Core.Profiles;
using ShmTools.Core.Text;

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
        var paths = new List<string>();
        foreach (var p in Path ?? [])
        {
            var full = GetUnresolvedProviderPathFromPSPath(p);
            if (File.Exists(full) || Directory.Exists(full)) paths.Add(full);
            else WriteError(new ErrorRecord(new ItemNotFoundException($"Cannot find the profile file or directory '{full}' (-Path)."), "ProfilePathNotFound", ErrorCategory.ObjectNotFound, p));
        }
        var names = Name ?? [];
        try
        {
            var set = ProfileCatalog.Load(paths);
            var found = set.Find(names);
            foreach (var w in set.Warnings) WriteWarning(w);
            WriteObject(found, enumerateCollection: true);
            foreach (var missing in GlobPattern.MissingExactNames(names, found.Select(f => f.Name)))
                WriteError(new ErrorRecord(new ItemNotFoundException($"Cannot find a device profile named '{missing}' (-Name; wildcards such as '{missing}*' match without an error)."),
                    "DeviceProfileNotFound", ErrorCategory.ObjectNotFound, missing));
        }
        catch (ProfileFormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidDeviceProfile", ErrorCategory.InvalidData, Path));
        }
    }
}
