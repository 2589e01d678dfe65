using Markdig.Syntax;
using ShmTools.HelpBuilder.Model;

namespace ShmTools.HelpBuilder.Parsing;

/// <summary>Reads a parameter's yaml block (Type, Parameter Sets, Aliases, Required, Position, ...).</summary>
public static class ParameterYamlParser
{
    private static readonly string[] Known =
    [
        "type", "parameter sets", "aliases", "accepted values", "required", "position", "default value",
        "accept pipeline input", "accept wildcard characters", "applicable",
    ];

    private static readonly string[] Mandatory =
        ["type", "parameter sets", "required", "position", "accept pipeline input", "accept wildcard characters"];

    public static ParameterSetEntry? Parse(FencedCodeBlock fence, string parameter, string file, HelpDiagnostics diagnostics)
    {
        var values = new Dictionary<string, (string Value, int Line)>();
        var lines = MarkdownText.CodeText(fence).Split('\n');
        bool ok = true;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            int at = HelpMarkdown.LineOf(fence, i);
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                diagnostics.Error(file, at, $"parameter -{parameter}: expected 'Key: value', found '{line}'");
                ok = false;
                continue;
            }
            var key = line[..colon].Trim().ToLowerInvariant();
            if (!Known.Contains(key))
            {
                diagnostics.Error(file, at, $"parameter -{parameter}: unknown key '{line[..colon].Trim()}' (expected one of: {string.Join(", ", Known)})");
                ok = false;
                continue;
            }
            if (!values.TryAdd(key, (line[(colon + 1)..].Trim(), at)))
            {
                diagnostics.Error(file, at, $"parameter -{parameter}: '{line[..colon].Trim()}' given twice");
                ok = false;
            }
        }
        foreach (var key in Mandatory.Where(k => !values.ContainsKey(k)))
        {
            diagnostics.Error(file, HelpMarkdown.LineOf(fence), $"parameter -{parameter}: the yaml block has no '{key}' line");
            ok = false;
        }

        // Every value that is present is checked, so one run reports every problem of the block.
        bool Bool(string key)
        {
            if (!values.TryGetValue(key, out var found)) return false;
            if (bool.TryParse(found.Value, out var b)) return b;
            diagnostics.Error(file, found.Line, $"parameter -{parameter}: '{key}' must be True or False, not '{found.Value}'");
            ok = false;
            return false;
        }

        int? position = null;
        if (values.TryGetValue("position", out var pos) && !pos.Value.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(pos.Value, out var p) && p >= 0) position = p;
            else
            {
                diagnostics.Error(file, pos.Line, $"parameter -{parameter}: Position must be Named or a number from 0, not '{pos.Value}'");
                ok = false;
            }
        }

        var pipeline = values.TryGetValue("accept pipeline input", out var pipe) ? pipe.Value : "False";
        if (!pipeline.Equals("False", StringComparison.OrdinalIgnoreCase) && !IsPipelineInput(pipeline))
        {
            diagnostics.Error(file, pipe.Line,
                $"parameter -{parameter}: 'Accept pipeline input' must be False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue), not '{pipeline}'");
            ok = false;
        }

        var type = values.TryGetValue("type", out var t) ? t.Value : "";
        if (t.Line > 0 && type.Length == 0)
        {
            diagnostics.Error(file, t.Line, $"parameter -{parameter}: Type is empty");
            ok = false;
        }
        var sets = values.TryGetValue("parameter sets", out var ps) ? List(ps.Value) : [];
        if (ps.Line > 0 && sets.Count == 0)
        {
            diagnostics.Error(file, ps.Line, $"parameter -{parameter}: 'Parameter Sets' is empty (write (All) for every set)");
            ok = false;
        }

        var entry = new ParameterSetEntry
        {
            Type = type,
            ParameterSets = sets,
            Aliases = values.TryGetValue("aliases", out var a) ? List(a.Value) : [],
            AcceptedValues = values.TryGetValue("accepted values", out var av) ? List(av.Value) : [],
            Required = Bool("required"),
            Position = position,
            DefaultValue = values.TryGetValue("default value", out var d) && d.Value.Length > 0 ? d.Value : "None",
            PipelineInput = pipeline.Equals("False", StringComparison.OrdinalIgnoreCase) ? "False" : pipeline,
            Globbing = Bool("accept wildcard characters"),
            Line = HelpMarkdown.LineOf(fence),
        };
        return ok ? entry : null;
    }

    private static bool IsPipelineInput(string value) =>
        value is "True (ByValue)" or "True (ByPropertyName)" or "True (ByPropertyName, ByValue)" or "True (ByValue, ByPropertyName)";

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
