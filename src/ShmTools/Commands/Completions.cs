using System.Management.Automation;

namespace ShmTools.Commands;

/// <summary>What the completers share: prefix matching on the word typed, and quoted results.</summary>
internal static class Completions
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<(string Name, string Tooltip)> candidates, string? wordToComplete, bool ignoreCase, int limit = 500)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", ignoreCase ? WildcardOptions.IgnoreCase : WildcardOptions.None);
        return candidates.Where(c => pattern.IsMatch(c.Name)).Take(limit)
            // The list text and tooltip are shown in menus: any name may hold control characters, so they are escaped.
            .Select(c => new CompletionResult("'" + c.Name.Replace("'", "''") + "'", Core.Text.TerminalText.Safe(c.Name), CompletionResultType.ParameterValue, Core.Text.TerminalText.Safe(c.Tooltip)));
    }
}
