namespace ShmTools.Core.Gpu;

/// <summary>
/// The two layouts of HAMi-core's shared region (x86_64), as offsets: v0 (before 2024, no
/// version fields) and v1 (major_version 1). Sizes are of the region; the file is one byte longer.
/// </summary>
public sealed record HamiLayout(
    int Version,
    long RegionSize,
    int OwnerPid, int DeviceCount, int Uuids, int Limits, int SmLimits, int Slots, int ProcNum,
    int SlotSize, int SlotUsed, int UsageSize, int SlotStatus, int? SlotSeqlock)
{
    public const int Magic = 19920718;
    public const int Devices = 16;
    public const int SlotCount = 1024;
    public const int UuidLength = 96;

    public static HamiLayout V0 { get; } = new(0, 1_197_896,
        OwnerPid: 8, DeviceCount: 48, Uuids: 56, Limits: 1592, SmLimits: 1720, Slots: 1848, ProcNum: 1_197_880,
        SlotSize: 1168, SlotUsed: 8, UsageSize: 40, SlotStatus: 1160, SlotSeqlock: null);

    public static HamiLayout V1 { get; } = new(1, 2_008_952,
        OwnerPid: 16, DeviceCount: 56, Uuids: 64, Limits: 1600, SmLimits: 1728, Slots: 1856, ProcNum: 2_008_896,
        SlotSize: 1960, SlotUsed: 8, UsageSize: 64, SlotStatus: 1928, SlotSeqlock: 1936);
}
