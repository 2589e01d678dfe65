using System.Reflection;
using System.Text.RegularExpressions;

namespace ShmTools.Tests.Module;

/// <summary>Static checks of the built module: what PowerShell will see, verified without PowerShell.</summary>
public sealed class CmdletMetadataTests : IClassFixture<BuiltModuleFixture>
{
    private readonly BuiltModule _m;

    public CmdletMetadataTests(BuiltModuleFixture f) => _m = f.Module;

    public static TheoryData<string> Cmdlets()
    {
        using var m = new BuiltModule();
        var data = new TheoryData<string>();
        foreach (var t in m.CmdletTypes) data.Add(BuiltModule.CmdletName(t));
        return data;
    }

    private Type TypeOf(string cmdlet) => _m.CmdletTypes.Single(t => BuiltModule.CmdletName(t) == cmdlet);

    [Fact]
    public void Manifest_exports_exactly_the_cmdlet_classes_and_carries_the_build_version()
    {
        var classes = _m.CmdletTypes.Select(BuiltModule.CmdletName).OrderBy(x => x).ToList();
        Assert.NotEmpty(classes);
        Assert.Equal(classes, _m.ManifestList("CmdletsToExport").OrderBy(x => x).ToList());
        var props = File.ReadAllText(Path.Combine(_m.RepoRoot, "Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.Contains($"ModuleVersion        = '{version}'", _m.Manifest);
        Assert.Equal(version, _m.Assembly.GetName().Version!.ToString(3));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Verb_is_approved(string cmdlet)
    {
        var sma = _m.Context.LoadFromAssemblyName("System.Management.Automation");
        var approved = new[] { "VerbsCommon", "VerbsData", "VerbsLifecycle", "VerbsDiagnostic", "VerbsCommunications", "VerbsSecurity", "VerbsOther" }
            .SelectMany(n => sma.GetType("System.Management.Automation." + n)!.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        Assert.Contains(cmdlet.Split('-')[0], approved);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Output_type_is_declared_and_has_a_default_view(string cmdlet)
    {
        var output = TypeOf(cmdlet).CustomAttributes.Where(a => a.AttributeType.Name == "OutputTypeAttribute").ToList();
        Assert.NotEmpty(output);
        foreach (var a in output)
            foreach (var arg in (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            {
                var type = (Type)arg.Value!;
                Assert.Contains($"<TypeName>{type.FullName}</TypeName>", _m.FormatXml);
            }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_page_documents_every_parameter_as_declared(string cmdlet)
    {
        var page = Path.Combine(_m.RepoRoot, "docs", "help", cmdlet + ".md");
        Assert.True(File.Exists(page), "no help page " + page);
        var help = File.ReadAllText(page);
        Assert.Contains("# " + cmdlet, help);
        foreach (var section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## INPUTS", "## OUTPUTS" })
            Assert.Contains(section, help);
        Assert.True(Regex.Matches(help, @"### Example \d").Count >= 2, "at least two examples");
        foreach (var p in Parameters(TypeOf(cmdlet)))
        {
            var m = Regex.Match(help, $@"### -{p.Name}\r?\n(?<body>.*?)```yaml\r?\n(?<yaml>.*?)```", RegexOptions.Singleline);
            Assert.True(m.Success, $"{cmdlet}: parameter -{p.Name} is not documented");
            var yaml = m.Groups["yaml"].Value;
            Assert.Contains("Type: " + FriendlyName(p.PropertyType), yaml);
            var attr = p.CustomAttributes.First(a => a.AttributeType.Name == "ParameterAttribute");
            int position = attr.NamedArguments.Where(n => n.MemberName == "Position").Select(n => (int)n.TypedValue.Value!).DefaultIfEmpty(int.MinValue).First();
            Assert.Contains("Position: " + (position == int.MinValue ? "Named" : position.ToString()), yaml);
            bool byValue = attr.NamedArguments.Any(n => n.MemberName == "ValueFromPipeline" && (bool)n.TypedValue.Value!);
            bool byName = attr.NamedArguments.Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && (bool)n.TypedValue.Value!);
            string pipeline = byValue && byName ? "True (ByPropertyName, ByValue)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
            Assert.Contains("Accept pipeline input: " + pipeline, yaml);
            bool wildcards = p.CustomAttributes.Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute");
            Assert.Contains("Accept wildcard characters: " + wildcards, yaml);
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void No_third_party_type_appears_in_a_signature(string cmdlet)
    {
        var t = TypeOf(cmdlet);
        var types = Parameters(t).Select(p => p.PropertyType)
            .Concat(t.CustomAttributes.Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(x => (Type)x.Value!));
        foreach (var type in types)
        {
            var element = type.IsArray ? type.GetElementType()! : type;
            var asm = element.Assembly.GetName().Name!;
            Assert.True(asm.StartsWith("System.") || asm is "System" or "mscorlib" or "netstandard" or "ShmTools" or "ShmTools.Core" or "System.Management.Automation",
                $"{cmdlet} exposes {element.FullName} from {asm}");
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void State_changing_cmdlets_support_ShouldProcess_with_high_impact(string cmdlet)
    {
        var attr = BuiltModule.CmdletAttribute(TypeOf(cmdlet))!;
        var named = attr.NamedArguments.ToDictionary(a => a.MemberName, a => a.TypedValue.Value);
        bool changesState = cmdlet.Split('-')[0] is "Clear" or "Remove" or "Set" or "Reset" or "Invoke" && !cmdlet.EndsWith("MemoryPlan");
        if (!changesState) return;
        Assert.True(named.TryGetValue("SupportsShouldProcess", out var should) && (bool)should!, cmdlet + " must support -WhatIf/-Confirm");
        Assert.True(named.TryGetValue("ConfirmImpact", out var impact) && (int)impact! == 3, cmdlet + " must declare ConfirmImpact High");
    }

    [Theory]
    [InlineData("Get-ShmSegment", "Name", "SegmentNameCompleter")]
    [InlineData("Test-ShmLiveness", "Name", "SegmentNameCompleter")]
    [InlineData("Clear-StaleShm", "Name", "SegmentNameCompleter")]
    [InlineData("Invoke-MemoryPlan", "Profile", "ProfileNameCompleter")]
    [InlineData("Get-DeviceProfile", "Name", "ProfileNameCompleter")]
    public void Names_complete(string cmdlet, string parameter, string completer)
    {
        var p = Parameters(TypeOf(cmdlet)).Single(x => x.Name == parameter);
        var attr = p.CustomAttributes.Single(a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        Assert.Equal(completer, ((Type)attr.ConstructorArguments[0].Value!).Name);
    }

    private static IEnumerable<PropertyInfo> Parameters(Type t) =>
        t.GetProperties().Where(p => p.CustomAttributes.Any(a => a.AttributeType.Name == "ParameterAttribute"));

    private static string FriendlyName(Type t) => t.IsArray ? FriendlyName(t.GetElementType()!) + "[]" : t.Name switch
    {
        "SwitchParameter" => "SwitchParameter",
        _ => t.Name,
    };
}

public sealed class BuiltModuleFixture : IDisposable
{
    public BuiltModule Module { get; } = new();

    public void Dispose() => Module.Dispose();
}
