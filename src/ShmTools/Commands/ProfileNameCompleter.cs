using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ShmTools.Core.Profiles;

namespace ShmTools.Commands;

/// <summary>Completes device profile names (built-in and from the profile directory).</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<DeviceProfile> profiles;
        try
        {
            profiles = ProfileCatalog.All();
        }
        catch (ProfileFormatException)
        {
            profiles = ProfileCatalog.BuiltIn;
        }
        return Completions.Matching(profiles.OrderBy(p => p.Name).Select(p => (p.Name, p.Description ?? p.Name)), wordToComplete, ignoreCase: true);
    }
}
