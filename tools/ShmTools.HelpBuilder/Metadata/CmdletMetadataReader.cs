using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ShmTools.HelpBuilder.Metadata;

/// <summary>
/// Reads the cmdlets of a built assembly without loading or running it (MetadataLoadContext):
/// the [Cmdlet], [Parameter], [Alias], [SupportsWildcards] and [OutputType] attributes.
/// </summary>
public static class CmdletMetadataReader
{
    private const string Automation = "System.Management.Automation.";

    public static List<CmdletMetadata> Read(string assemblyPath, IEnumerable<string> referencePaths)
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string path)
        {
            if (File.Exists(path)) paths.TryAdd(Path.GetFileNameWithoutExtension(path), Path.GetFullPath(path));
        }
        Add(assemblyPath);
        foreach (var r in referencePaths) Add(r);
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll")) Add(f);
        foreach (var f in Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")) Add(f);

        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Runtime");
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        var cmdlets = new List<CmdletMetadata>();
        foreach (var type in assembly.GetExportedTypes().Where(t => !t.IsAbstract))
        {
            var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Automation + "CmdletAttribute");
            if (cmdlet == null) continue;
            var name = $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}";
            cmdlets.Add(new CmdletMetadata(
                name,
                type.FullName!,
                Named<bool>(cmdlet, "SupportsShouldProcess"),
                Named<string>(cmdlet, "DefaultParameterSetName"),
                Named<string>(cmdlet, "HelpUri"),
                OutputTypes(type),
                type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(Parameter).OfType<CmdletParameterMetadata>().ToList()));
        }
        return cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static CmdletParameterMetadata? Parameter(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData();
        var bindings = attributes.Where(a => a.AttributeType.FullName == Automation + "ParameterAttribute").Select(a =>
        {
            int position = Named<int?>(a, "Position") ?? int.MinValue;
            return new ParameterBinding(
                Named<string>(a, "ParameterSetName") ?? CmdletMetadata.AllSets,
                Named<bool>(a, "Mandatory"),
                position == int.MinValue ? null : position,
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName"));
        }).ToList();
        if (bindings.Count == 0) return null;

        var aliases = attributes.Where(a => a.AttributeType.FullName == Automation + "AliasAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(x => (string)x.Value!) : [(string)arg.Value!])
            .ToList();
        bool wildcards = attributes.Any(a => a.AttributeType.FullName == Automation + "SupportsWildcardsAttribute");

        var type = property.PropertyType;
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") type = type.GetGenericArguments()[0];
        var element = type.IsArray ? type.GetElementType()! : type;
        var enumValues = element.IsEnum ? element.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList() : [];
        var validateSet = attributes.FirstOrDefault(a => a.AttributeType.FullName == Automation + "ValidateSetAttribute");
        if (validateSet != null)
            enumValues = validateSet.ConstructorArguments
                .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(x => (string)x.Value!) : [(string)arg.Value!])
                .ToList();
        return new CmdletParameterMetadata(property.Name, type.Name, type.FullName ?? type.Name, aliases, wildcards, enumValues, bindings);
    }

    private static List<string> OutputTypes(Type type) =>
        type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Automation + "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(x => x.Value) : [arg.Value])
            .Select(v => v is Type t ? t.FullName! : v?.ToString() ?? "")
            .ToList();

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var arg in attribute.NamedArguments)
            if (arg.MemberName == name) return (T?)arg.TypedValue.Value;
        return default;
    }
}
