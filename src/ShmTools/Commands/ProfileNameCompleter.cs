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
        var profiles = ProfileCatalog.AllOrBuiltIn(out _);
        return Completions.Matching(profiles.OrderBy(p => p.Name).Select(p => (p.Name, p.Description ?? p.Name)), wordToComplete, ignoreCase: true);
    }
}
