using System.Globalization;
using ShmTools.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ShmTools.Core.Profiles;

/// <summary>
/// Reads YAML device profiles (one mapping, or a list of them) with YamlDotNet's representation
/// model, so that every mistake is reported as file:line:column: unknown keys, wrong types,
/// missing fields, negative or absurd sizes.
/// </summary>
public static class ProfileReader
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "name", "description", "vendor", "kind", "memory", "reserved", "computeUnits", "alignment", "supportedOperators", "unsupportedOperators",
    };

    private const long MaxMemory = 1L << 50; // 1 PiB: anything larger is a typo

    public static IReadOnlyList<DeviceProfile> Read(TextReader reader, string source)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ProfileFormatException($"{source}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ProfileFormatException($"{source}: not valid YAML ({ex.Message}).", ex);
        }
        var profiles = new List<DeviceProfile>();
        foreach (var doc in yaml.Documents)
        {
            switch (doc.RootNode)
            {
                case YamlMappingNode m: profiles.Add(Profile(m, source)); break;
                case YamlSequenceNode s:
                    foreach (var item in s)
                        profiles.Add(item is YamlMappingNode pm ? Profile(pm, source) : throw Fail(source, item, "each list item must be a profile (a mapping with name, memory, ...)"));
                    break;
                default: throw Fail(source, doc.RootNode, "a profile file holds one profile (a mapping) or a list of them");
            }
        }
        var dup = profiles.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new ProfileFormatException($"{dup.Skip(1).First().Source}: profile name '{dup.Key}' is defined twice in this file.");
        return profiles;
    }

    public static IReadOnlyList<DeviceProfile> ReadFile(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Read(reader, path);
        }
        catch (IOException ex)
        {
            throw new ProfileFormatException($"{path}: {ex.Message}", ex);
        }
    }

    private static DeviceProfile Profile(YamlMappingNode m, string source)
    {
        var values = new Dictionary<string, YamlNode>();
        foreach (var (k, v) in m.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? throw Fail(source, k, "keys must be plain words");
            if (!Keys.Contains(key)) throw Fail(source, k, $"unknown key '{key}' (known: {string.Join(", ", Keys)})");
            values[key] = v;
        }
        string name = Scalar(values, "name", source, m) ?? throw Fail(source, m, "missing required key 'name'");
        string memoryText = Scalar(values, "memory", source, m) ?? throw Fail(source, m, $"profile '{name}': missing required key 'memory'");
        long memory = Size(memoryText, values["memory"], source, "memory");
        if (memory <= 0 || memory > MaxMemory) throw Fail(source, values["memory"], $"memory {memoryText} is not between 1 byte and 1 PiB");
        long reserved = 0;
        if (Scalar(values, "reserved", source, m) is { } r)
        {
            if (r.EndsWith('%'))
            {
                if (!double.TryParse(r[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) || pct < 0 || pct >= 100)
                    throw Fail(source, values["reserved"], $"reserved {r} is not a percentage from 0% to below 100%");
                reserved = (long)(memory * pct / 100);
            }
            else reserved = Size(r, values["reserved"], source, "reserved");
            if (reserved < 0 || reserved >= memory) throw Fail(source, values["reserved"], $"reserved {r} must be at least 0 and less than memory ({memoryText})");
        }
        int units = Int(values, "computeUnits", source, 1, 1, 1_000_000);
        int align = Int(values, "alignment", source, 64, 1, 1 << 20);
        if ((align & (align - 1)) != 0) throw Fail(source, values["alignment"], $"alignment {align} is not a power of two");
        var kindText = Scalar(values, "kind", source, m) ?? "other";
        if (!Enum.TryParse<DeviceKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
            throw Fail(source, values["kind"], $"kind '{kindText}' is not one of gpu, cpu, npu, fpga, other");
        return new DeviceProfile
        {
            Name = name,
            Description = Scalar(values, "description", source, m),
            Vendor = Scalar(values, "vendor", source, m),
            Kind = kind,
            MemoryBytes = memory,
            ReservedBytes = reserved,
            ComputeUnits = units,
            AlignmentBytes = align,
            SupportedOperators = List(values, "supportedOperators", source),
            UnsupportedOperators = List(values, "unsupportedOperators", source),
            Source = $"{source}:{m.Start.Line}",
        };
    }

    private static string? Scalar(Dictionary<string, YamlNode> values, string key, string source, YamlNode owner)
    {
        if (!values.TryGetValue(key, out var node)) return null;
        return node is YamlScalarNode s && s.Value is { Length: > 0 } v ? v.Trim() : throw Fail(source, node, $"'{key}' must be a single value");
    }

    private static long Size(string text, YamlNode node, string source, string key) =>
        ByteSize.TryParse(text, out var b) ? b : throw Fail(source, node, $"{key} '{text}' is not a size (e.g. 80 GiB, 16GB, 512 MiB, 1073741824)");

    private static int Int(Dictionary<string, YamlNode> values, string key, string source, int fallback, int min, int max)
    {
        if (!values.TryGetValue(key, out var node)) return fallback;
        var text = (node as YamlScalarNode)?.Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw Fail(source, node, $"'{key}' must be a whole number, not '{text}'");
        if (v < min || v > max) throw Fail(source, node, $"'{key}' {v} is not between {min} and {max}");
        return v;
    }

    private static IReadOnlyList<string> List(Dictionary<string, YamlNode> values, string key, string source)
    {
        if (!values.TryGetValue(key, out var node)) return [];
        if (node is not YamlSequenceNode seq) throw Fail(source, node, $"'{key}' must be a list of operator names (wildcards allowed)");
        return seq.Select(i => (i as YamlScalarNode)?.Value ?? throw Fail(source, i, $"'{key}' entries must be operator names")).ToList();
    }

    private static ProfileFormatException Fail(string source, YamlNode node, string why) =>
        new($"{source}:{node.Start.Line}:{node.Start.Column}: {why}.");
}
