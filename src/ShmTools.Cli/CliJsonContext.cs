using System.Text.Json;
using System.Text.Json.Serialization;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>Enum values as lower-case words ("posix", "sysv", "map").</summary>
public sealed class LowerCaseEnumConverter<T>() : JsonStringEnumConverter<T>(new LowerCaseNamingPolicy()) where T : struct, Enum;

public sealed class LowerCaseNamingPolicy : JsonNamingPolicy
{
    public override string ConvertName(string name) => name.ToLowerInvariant();
}

/// <summary>Source-generated JSON for the Core result objects (no reflection, trim/AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(LowerCaseEnumConverter<SegmentKind>), typeof(LowerCaseEnumConverter<AttachmentKind>)])]
[JsonSerializable(typeof(List<ShmSegment>))]
public sealed partial class CliJsonContext : JsonSerializerContext;
