using ShmTools.HelpBuilder.Metadata;
using ShmTools.HelpBuilder.Model;

namespace ShmTools.HelpBuilder;

/// <summary>
/// Compares a help page with the cmdlet it documents. A parameter or parameter set the cmdlet
/// does not have is an error (the help would describe something that does not exist); help that
/// has drifted from the cmdlet (binding, aliases, type, HelpUri, undocumented parameters) is a warning.
/// </summary>
public static class HelpConsistencyChecker
{
    private static readonly string[] ShouldProcessParameters = ["WhatIf", "Confirm"];

    public static void Check(CommandHelp page, CmdletMetadata? cmdlet, string assemblyName, HelpDiagnostics d)
    {
        var file = page.File;
        if (cmdlet == null)
        {
            d.Error(file, page.NameLine, $"{assemblyName} has no cmdlet {page.Name}");
            return;
        }

        var namedSets = cmdlet.ParameterSets;
        foreach (var set in page.SyntaxSets.Where(s => !namedSets.Contains(s.Name)))
            d.Error(file, set.Line, $"parameter set '{set.Name}' is not a parameter set of {cmdlet.Name} (it has: {Describe(namedSets)})");
        if (page.SyntaxSets.Count > 0)
        {
            foreach (var set in namedSets.Where(s => page.SyntaxSets.All(p => p.Name != s)))
                d.Warning(file, page.NameLine, $"## SYNTAX does not show parameter set '{set}' of {cmdlet.Name}");
            var documentedDefault = page.SyntaxSets.FirstOrDefault(s => s.IsDefault)?.Name;
            if (cmdlet.DefaultParameterSet != null && documentedDefault != cmdlet.DefaultParameterSet)
                d.Warning(file, page.SyntaxSets[0].Line, $"the default parameter set of {cmdlet.Name} is '{cmdlet.DefaultParameterSet}', marked '(Default)' here: '{documentedDefault ?? "none"}'");
        }
        else if (namedSets.Count > 1)
            d.Warning(file, page.NameLine, $"{cmdlet.Name} has parameter sets {Describe(namedSets)}: ## SYNTAX should show each under '### Name'");

        foreach (var parameter in page.Parameters)
        {
            var actual = cmdlet.Parameters.FirstOrDefault(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (actual == null)
            {
                if (cmdlet.SupportsShouldProcess && ShouldProcessParameters.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase)) continue;
                d.Error(file, parameter.Line, $"unknown parameter -{parameter.Name}: {cmdlet.Name} has no such parameter (it has: {string.Join(", ", cmdlet.Parameters.Select(p => "-" + p.Name))})");
                continue;
            }
            if (actual.Name != parameter.Name)
                d.Warning(file, parameter.Line, $"parameter -{parameter.Name} is spelled -{actual.Name} by the cmdlet");
            foreach (var entry in parameter.Entries)
                CheckEntry(file, cmdlet, parameter, actual, entry, d);
        }
        foreach (var missing in cmdlet.Parameters.Where(p => page.Parameters.All(h => !h.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))))
            d.Warning(file, page.NameLine, $"parameter -{missing.Name} of {cmdlet.Name} is not described under ## PARAMETERS");
        if (cmdlet.SupportsShouldProcess)
            foreach (var common in ShouldProcessParameters.Where(c => page.Parameters.All(h => !h.Name.Equals(c, StringComparison.OrdinalIgnoreCase))))
                d.Warning(file, page.NameLine, $"{cmdlet.Name} supports ShouldProcess: describe -{common} under ## PARAMETERS");

        if (cmdlet.HelpUri == null)
            d.Warning(file, page.NameLine, $"{cmdlet.Name} ({cmdlet.ClassName}) has no HelpUri");
        else if (page.OnlineVersion != cmdlet.HelpUri)
            d.Warning(file, 1, $"'online version: {page.OnlineVersion}' differs from the cmdlet's HelpUri {cmdlet.HelpUri}");
        foreach (var output in cmdlet.OutputTypes.Where(o => page.Outputs.All(t => t.TypeName != o)))
            d.Warning(file, page.NameLine, $"{cmdlet.Name} declares [OutputType({output})], not listed under ## OUTPUTS");
    }

    private static void CheckEntry(string file, CmdletMetadata cmdlet, ParameterHelp parameter, CmdletParameterMetadata actual, ParameterSetEntry entry, HelpDiagnostics d)
    {
        string name = "-" + parameter.Name;
        var knownSets = cmdlet.ParameterSets;
        foreach (var set in entry.ParameterSets.Where(s => s != ParameterSetEntry.AllSets && !knownSets.Contains(s)))
            d.Error(file, entry.Line, $"parameter {name}: '{set}' is not a parameter set of {cmdlet.Name} (it has: {Describe(knownSets)})");

        var bindings = actual.Bindings.Where(b => entry.InAllSets || entry.ParameterSets.Contains(b.ParameterSet) || b.ParameterSet == CmdletMetadata.AllSets).ToList();
        if (entry.InAllSets && actual.Bindings.Any(b => b.ParameterSet != CmdletMetadata.AllSets))
            d.Warning(file, entry.Line, $"parameter {name} is only in parameter sets {string.Join(", ", actual.Bindings.Select(b => b.ParameterSet))}, not (All)");
        foreach (var b in bindings)
        {
            if (b.Mandatory != entry.Required)
                d.Warning(file, entry.Line, $"parameter {name}: Required is {b.Mandatory} in the cmdlet, {entry.Required} here");
            if (b.Position != entry.Position)
                d.Warning(file, entry.Line, $"parameter {name}: Position is {b.Position?.ToString() ?? "Named"} in the cmdlet, {entry.Position?.ToString() ?? "Named"} here");
            if (b.ValueFromPipeline != entry.ByValue || b.ValueFromPipelineByPropertyName != entry.ByPropertyName)
                d.Warning(file, entry.Line, $"parameter {name}: Accept pipeline input is {PipelineText(b)} in the cmdlet, {entry.PipelineInput} here");
        }
        if (!actual.Aliases.Order().SequenceEqual(entry.Aliases.Order(), StringComparer.OrdinalIgnoreCase))
            d.Warning(file, entry.Line, $"parameter {name}: Aliases are '{string.Join(", ", actual.Aliases)}' in the cmdlet, '{string.Join(", ", entry.Aliases)}' here");
        if (actual.SupportsWildcards != entry.Globbing)
            d.Warning(file, entry.Line, $"parameter {name}: Accept wildcard characters is {actual.SupportsWildcards} in the cmdlet, {entry.Globbing} here");
        if (entry.Type != actual.TypeName && entry.Type != actual.TypeFullName)
            d.Warning(file, entry.Line, $"parameter {name}: Type is {actual.TypeName} in the cmdlet, {entry.Type} here");
        if (entry.AcceptedValues.Count > 0 && !actual.EnumValues.Order().SequenceEqual(entry.AcceptedValues.Order(), StringComparer.OrdinalIgnoreCase))
            d.Warning(file, entry.Line, $"parameter {name}: Accepted values are '{string.Join(", ", actual.EnumValues)}' in the cmdlet, '{string.Join(", ", entry.AcceptedValues)}' here");
    }

    private static string PipelineText(ParameterBinding b) => (b.ValueFromPipeline, b.ValueFromPipelineByPropertyName) switch
    {
        (false, false) => "False",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "True (ByPropertyName, ByValue)",
    };

    private static string Describe(IReadOnlyList<string> sets) => sets.Count == 0 ? "one unnamed set" : string.Join(", ", sets);
}
