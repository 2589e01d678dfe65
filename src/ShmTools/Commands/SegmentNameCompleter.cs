using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>Completes segment names from /dev/shm and the System V table (no /proc pass, so it is quick).</summary>
public sealed class SegmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (!OperatingSystem.IsLinux()) return [];
        return Completions.Matching(SegmentNames.List().Select(n => (n, n)), wordToComplete, ignoreCase: false);
    }
}
