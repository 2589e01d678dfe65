using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using ShmTools.Core.Inputs;

namespace ShmTools.Core.Gpu;

/// <summary>
/// Reads HAMi-core shared regions without touching their semaphore: a snapshot of the file,
/// slot by slot, each slot re-read until its seqlock (v1 minor 2) is even and unchanged.
/// Garbage and truncated files are rejected with the reason and the file's name; a FIFO, device
/// or directory is refused without being waited on (see <see cref="InputFile"/>).
/// </summary>
public static class HamiRegionReader
{
    public static HamiRegion Read(string path)
    {
        using var file = InputFile.Open(path);
        long size = file.Length;
        var head = new byte[16];
        if (file.Read(head, 0, 16) < 16) throw Bad(path, $"only {size} bytes: too short for a region header");
        int magic = BinaryPrimitives.ReadInt32LittleEndian(head);
        if (magic != HamiLayout.Magic) throw Bad(path, $"no HAMi-core magic ({HamiLayout.Magic}) at offset 0 (found {magic})");
        uint major = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4)), minor = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8));
        HamiLayout layout;
        if (major == 1 && size >= HamiLayout.V1.RegionSize) layout = HamiLayout.V1;
        else if (size >= HamiLayout.V0.RegionSize && size < HamiLayout.V1.RegionSize) layout = HamiLayout.V0;
        else throw Bad(path, $"{size} bytes with version {major}.{minor}: neither layout v0 ({HamiLayout.V0.RegionSize} bytes) nor v1 ({HamiLayout.V1.RegionSize} bytes) fits (truncated?)");

        var region = new byte[layout.Slots];
        ReadAt(file, region, 0, path);
        long devices = BinaryPrimitives.ReadInt64LittleEndian(region.AsSpan(layout.DeviceCount));
        if (devices < 0 || devices > HamiLayout.Devices) throw Bad(path, $"device count {devices} is not 0..{HamiLayout.Devices}");
        var uuids = new List<string>();
        var limits = new List<long>();
        var sm = new List<long>();
        for (int d = 0; d < devices; d++)
        {
            var u = region.AsSpan(layout.Uuids + d * HamiLayout.UuidLength, HamiLayout.UuidLength);
            int nul = u.IndexOf((byte)0);
            uuids.Add(Encoding.ASCII.GetString(nul < 0 ? u : u[..nul]));
            limits.Add(BinaryPrimitives.ReadInt64LittleEndian(region.AsSpan(layout.Limits + d * 8)));
            sm.Add(BinaryPrimitives.ReadInt64LittleEndian(region.AsSpan(layout.SmLimits + d * 8)));
        }
        var tail = new byte[4];
        ReadAt(file, tail, layout.ProcNum, path);
        int procNum = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (procNum < 0 || procNum > HamiLayout.SlotCount) throw Bad(path, $"process count {procNum} is not 0..{HamiLayout.SlotCount}");
        var slots = new List<HamiSlot>(procNum);
        var buf = new byte[layout.SlotSize];
        long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * SettleMilliseconds / 1000;
        for (int i = 0; i < procNum; i++) slots.Add(ReadSlot(file, layout, i, (int)devices, buf, path, deadline));
        long owner = BinaryPrimitives.ReadInt64LittleEndian(region.AsSpan(layout.OwnerPid));
        return new HamiRegion(path, layout.Version, layout.Version == 1 ? (int)minor : 0, owner, uuids, limits, sm, slots);
    }

    /// <summary>How long one file's slots may take to settle (seqlocks even and unchanged) before the file is given up: a writer that died mid-update, or a hostile file whose seqlocks are all odd, costs this much and no more.</summary>
    public const int SettleMilliseconds = 250;

    private static HamiSlot ReadSlot(FileStream file, HamiLayout l, int index, int devices, byte[] buf, string path, long deadline)
    {
        long at = l.Slots + (long)index * l.SlotSize;
        for (int attempt = 0; ; attempt++)
        {
            ReadAt(file, buf, at, path);
            if (l.SlotSeqlock is not { } seqAt) break;
            ulong before = BinaryPrimitives.ReadUInt64LittleEndian(buf.AsSpan(seqAt));
            var again = new byte[8];
            ReadAt(file, again, at + seqAt, path);
            ulong after = BinaryPrimitives.ReadUInt64LittleEndian(again);
            if (before % 2 == 0 && before == after) break;
            if (attempt > 1000 || Stopwatch.GetTimestamp() > deadline)
                throw Bad(path, $"slot {index} kept changing (seqlock {after}{(after % 2 == 1 ? ", odd: a write in progress or abandoned" : "")}); try again");
            Thread.Yield();
        }
        var usage = new List<HamiUsage>();
        for (int d = 0; d < devices; d++)
        {
            var u = buf.AsSpan(l.SlotUsed + d * l.UsageSize);
            long total = BinaryPrimitives.ReadInt64LittleEndian(u[32..]);
            usage.Add(new HamiUsage(d, BinaryPrimitives.ReadInt64LittleEndian(u), BinaryPrimitives.ReadInt64LittleEndian(u[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(u[16..]), total));
        }
        return new HamiSlot(BinaryPrimitives.ReadInt32LittleEndian(buf), BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(4)),
            BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(l.SlotStatus)), usage);
    }

    private static void ReadAt(FileStream file, byte[] buffer, long offset, string path)
    {
        file.Position = offset;
        int read = 0;
        while (read < buffer.Length)
        {
            int n = file.Read(buffer, read, buffer.Length - read);
            if (n == 0) throw Bad(path, $"ends at {offset + read} bytes, before the region does (truncated)");
            read += n;
        }
    }

    private static InvalidDataException Bad(string path, string why) => new($"{path}: not a readable HAMi-core region: {why}.");
}
