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
using ShmTools.Core.Text;

namespace ShmTools.Cli;

/// <summary>Enum values as Core's words (<see cref="EnumWords"/>): "posix", "would-remove", "Live".</summary>
public sealed class EnumWordConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        EnumWords.TryParse<T>(reader.GetString(), out var v) ? v : throw new JsonException($"'{reader.GetString()}': not one of {EnumWords.List<T>()}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(EnumWords.Word(value));
}

/// <summary>Source-generated JSON for the Core result objects (no reflection, trim/AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(EnumWordConverter<SegmentKind>), typeof(EnumWordConverter<AttachmentKind>),
        typeof(EnumWordConverter<EvidenceKind>), typeof(EnumWordConverter<CleanupAction>),
        typeof(EnumWordConverter<Verdict>), typeof(EnumWordConverter<OwnerState>),
        typeof(EnumWordConverter<DeviceKind>), typeof(EnumWordConverter<PlanStrategy>), typeof(EnumWordConverter<GpuSource>)])]
[JsonSerializable(typeof(List<ShmSegment>))]
[JsonSerializable(typeof(List<LivenessResult>))]
[JsonSerializable(typeof(CleanupReport))]
[JsonSerializable(typeof(GpuReport))]
[JsonSerializable(typeof(MemoryPlan))]
[JsonSerializable(typeof(ShmTools.Core.Planning.Buffers.BufferPlan))]
[JsonSerializable(typeof(List<DeviceProfile>))]
[JsonSerializable(typeof(ShmUsageReport))]
public sealed partial class CliJsonContext : JsonSerializerContext;
