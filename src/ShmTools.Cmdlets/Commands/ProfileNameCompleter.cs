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
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        IReadOnlyList<DeviceProfile> profiles;
        try
        {
            profiles = ProfileCatalog.All();
        }
        catch (ProfileFormatException)
        {
            profiles = ProfileCatalog.BuiltIn;
        }
        foreach (var p in profiles.Where(p => pattern.IsMatch(p.Name)).OrderBy(p => p.Name))
            yield return new CompletionResult("'" + p.Name + "'", p.Name, CompletionResultType.ParameterValue, p.Description ?? p.Name);
    }
}
