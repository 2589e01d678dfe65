using ShmTools.Core.Processes;
using System.Text.Json;
using System.Text.Json.Serialization;
using ShmTools.Core.Capacity;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Gpu;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;
using ShmTools.Core.Liveness;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>Enum values as lower-case words ("posix", "sysv", "map").</summary>
public sealed class LowerCaseEnumConverter<T>() : JsonStringEnumConverter<T>(new LowerCaseNamingPolicy()) where T : struct, Enum;

/// <summary>Enum values as kebab-case words ("would-remove").</summary>
public sealed class KebabCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.KebabCaseLower) where T : struct, Enum;

public sealed class LowerCaseNamingPolicy : JsonNamingPolicy
{
    public override string ConvertName(string name) => name.ToLowerInvariant();
}

/// <summary>Source-generated JSON for the Core result objects (no reflection, trim/AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(LowerCaseEnumConverter<SegmentKind>), typeof(LowerCaseEnumConverter<AttachmentKind>),
        typeof(LowerCaseEnumConverter<EvidenceKind>), typeof(KebabCaseEnumConverter<CleanupAction>),
        typeof(JsonStringEnumConverter<Verdict>), typeof(JsonStringEnumConverter<OwnerState>),
        typeof(LowerCaseEnumConverter<DeviceKind>), typeof(KebabCaseEnumConverter<PlanStrategy>)])]
[JsonSerializable(typeof(List<ShmSegment>))]
[JsonSerializable(typeof(List<LivenessResult>))]
[JsonSerializable(typeof(CleanupReport))]
[JsonSerializable(typeof(GpuReport))]
[JsonSerializable(typeof(MemoryPlan))]
[JsonSerializable(typeof(ShmTools.Core.Planning.Buffers.BufferPlan))]
[JsonSerializable(typeof(List<DeviceProfile>))]
[JsonSerializable(typeof(ShmUsageReport))]
public sealed partial class CliJsonContext : JsonSerializerContext;
