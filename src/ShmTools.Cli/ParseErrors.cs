using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace ShmTools.Cli;

/// <summary>
/// The parser's errors as a person reads them: a type is named as what to type ("a whole
/// number"), not as a runtime type, and a word that is no verb is reported once, not also as
/// "no verb given".
/// </summary>
internal static partial class ParseErrors
{
    private const string NoVerb = "Required command was not provided.";

    public static IEnumerable<string> Describe(IReadOnlyList<ParseError> errors)
    {
        bool unrecognized = errors.Any(e => e.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));
        foreach (var e in errors)
        {
            if (unrecognized && e.Message == NoVerb) continue;
            yield return Plain(e.Message);
        }
    }

    private static string Plain(string message)
    {
        var m = TypeMismatch().Match(message);
        if (!m.Success) return message;
        string what = m.Groups["type"].Value switch
        {
            "Int32" or "Int64" => "a whole number",
            "Double" or "Single" or "Decimal" => "a number",
            "Boolean" => "true or false",
            _ => "a value of another kind",
        };
        return $"{m.Groups["option"].Value} takes {what}, not '{m.Groups["value"].Value}'.";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type 'System\.(?<type>\w+)'\.$", RegexOptions.Singleline)]
    private static partial Regex TypeMismatch();
}
