using System.Xml;
using System.Xml.Linq;
using ShmTools.HelpBuilder.Model;

namespace ShmTools.HelpBuilder.Writing;

/// <summary>
/// Writes command help as MAML, the XML that PowerShell's help system reads from
/// <c>&lt;culture&gt;/&lt;Assembly&gt;.dll-Help.xml</c>: one command:command per cmdlet.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument Document(IEnumerable<CommandHelp> pages) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), pages.Select(CommandElement)));

    public static void Write(IEnumerable<CommandHelp> pages, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        Document(pages).Save(writer);
    }

    private static XElement CommandElement(CommandHelp page) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", page.Name),
                new XElement(Command + "verb", page.Verb),
                new XElement(Command + "noun", page.Noun),
                Description(page.Synopsis)),
            Description(page.Description),
            new XElement(Command + "syntax", SyntaxItems(page)),
            new XElement(Command + "parameters", page.Parameters.Select(p => Parameter(p, p.Entries[0], inSyntax: false))),
            new XElement(Command + "inputTypes", page.Inputs.Select(t =>
                new XElement(Command + "inputType", Type(t.TypeName), Description(t.Description)))),
            new XElement(Command + "returnValues", page.Outputs.Select(t =>
                new XElement(Command + "returnValue", Type(t.TypeName), Description(t.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(page.Notes))),
            new XElement(Command + "examples", page.Examples.Select((e, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paras(e.Remarks))))),
            new XElement(Command + "relatedLinks", Links(page)));

    private static IEnumerable<XElement> SyntaxItems(CommandHelp page)
    {
        var sets = page.SyntaxSets.Count == 0 ? [null] : page.SyntaxSets.OrderByDescending(s => s.IsDefault).Select(s => s.Name).ToList<string?>();
        foreach (var set in sets)
        {
            var members = page.Parameters
                .Select(p => (Parameter: p, Entry: set == null ? p.Entries[0] : p.Entries.FirstOrDefault(e => e.InAllSets || e.ParameterSets.Contains(set))))
                .Where(m => m.Entry != null)
                .Select((m, order) => (m.Parameter, Entry: m.Entry!, Order: order))
                .OrderBy(m => m.Entry.Position ?? int.MaxValue)
                .ThenBy(m => m.Entry.Required ? 0 : 1)
                .ThenBy(m => IsShouldProcess(m.Parameter.Name) ? 1 : 0)
                .ThenBy(m => m.Order);
            yield return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", page.Name),
                members.Select(m => Parameter(m.Parameter, m.Entry, inSyntax: true)));
        }
    }

    private static bool IsShouldProcess(string name) => name is "WhatIf" or "Confirm";

    private static XElement Parameter(ParameterHelp parameter, ParameterSetEntry entry, bool inSyntax)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", entry.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", entry.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", entry.PipelineInput),
            new XAttribute("position", entry.Position?.ToString() ?? "named"),
            new XAttribute("aliases", entry.Aliases.Count == 0 ? "none" : string.Join(", ", entry.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));
        if (inSyntax && entry.AcceptedValues.Count > 0)
            element.Add(new XElement(Command + "parameterValueGroup", entry.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
        else if (!(inSyntax && entry.IsSwitch))
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", entry.IsSwitch ? "false" : "true"), new XAttribute("variableLength", "false"), entry.Type));
        element.Add(Type(entry.Type), new XElement(Dev + "defaultValue", entry.DefaultValue));
        return element;
    }

    private static IEnumerable<XElement> Links(CommandHelp page)
    {
        if (page.OnlineVersion != null)
            yield return new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", "Online Version:"), new XElement(Maml + "uri", page.OnlineVersion));
        foreach (var link in page.RelatedLinks)
            yield return new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", link.Text), new XElement(Maml + "uri", link.Uri));
    }

    private static XElement Type(string name) =>
        new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
