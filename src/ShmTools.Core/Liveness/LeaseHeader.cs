using System.Buffers.Binary;

namespace ShmTools.Core.Liveness;

/// <summary>
/// The handshake header at offset 0 of a cooperating segment (docs/lease-protocol.md), 64 bytes,
/// little-endian:
/// <code>
///  0  u8[8]  magic "SHMLEASE"
///  8  u32    version (1)
/// 12  u32    state: 0 RELEASED, 1 ALIVE (in use), 2 PROBING (is anyone using this?)
/// 16  u32    owner pid (as the owner's /proc shows it)
/// 20  u32    reserved (0)
/// 24  u64    owner start time, clock ticks since boot (field 22 of /proc/PID/stat)
/// 32  u64    heartbeat: +1 each time the owner answers a probe
/// 40  u64    last probe, Unix milliseconds, written by the prober
/// 48  u8[16] reserved (0)
/// </code>
/// A prober compare-and-swaps ALIVE -> PROBING and waits; a live owner swaps it back to ALIVE
/// and bumps the heartbeat.
/// </summary>
public static unsafe class LeaseHeader
{
    public const int Size = 64;
    public const uint Version = 1;
    public const int Released = 0;
    public const int Alive = 1;
    public const int Probing = 2;

    public const int MagicOffset = 0, VersionOffset = 8, StateOffset = 12, PidOffset = 16,
        StartTicksOffset = 24, HeartbeatOffset = 32, LastProbeOffset = 40;

    public static ReadOnlySpan<byte> Magic => "SHMLEASE"u8;

    public static bool IsPresent(byte* p, long length) =>
        length >= Size && new ReadOnlySpan<byte>(p, 8).SequenceEqual(Magic)
        && BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(p + VersionOffset, 4)) == Version;

    /// <summary>Whether a copy of the first bytes (read with pread, never through a mapping) holds a header.</summary>
    public static bool IsPresent(ReadOnlySpan<byte> header) =>
        header.Length >= Size && header[..8].SequenceEqual(Magic)
        && BinaryPrimitives.ReadUInt32LittleEndian(header[VersionOffset..]) == Version;

    public static int State(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[StateOffset..]);
    public static int OwnerPid(ReadOnlySpan<byte> header) => (int)BinaryPrimitives.ReadUInt32LittleEndian(header[PidOffset..]);
    public static ulong OwnerStartTicks(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt64LittleEndian(header[StartTicksOffset..]);
    public static ulong Heartbeat(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt64LittleEndian(header[HeartbeatOffset..]);

    /// <summary>Writes a fresh header: ALIVE, owned by the given process.</summary>
    public static void Initialise(byte* p, int ownerPid, ulong ownerStartTicks)
    {
        new Span<byte>(p, Size).Clear();
        var s = new Span<byte>(p, Size);
        BinaryPrimitives.WriteUInt32LittleEndian(s[VersionOffset..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(s[PidOffset..], (uint)ownerPid);
        BinaryPrimitives.WriteUInt64LittleEndian(s[StartTicksOffset..], ownerStartTicks);
        Volatile.Write(ref *(int*)(p + StateOffset), Alive);
        Magic.CopyTo(s); // last: a reader never sees the magic before the fields
    }

    public static int State(byte* p) => Volatile.Read(ref *(int*)(p + StateOffset));
    public static int OwnerPid(byte* p) => (int)Volatile.Read(ref *(uint*)(p + PidOffset));
    public static ulong OwnerStartTicks(byte* p) => Volatile.Read(ref *(ulong*)(p + StartTicksOffset));
    public static ulong Heartbeat(byte* p) => Volatile.Read(ref *(ulong*)(p + HeartbeatOffset));

    /// <summary>The prober's move: ALIVE -> PROBING. Returns the state that was found.</summary>
    public static int BeginProbe(byte* p)
    {
        Volatile.Write(ref *(long*)(p + LastProbeOffset), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return Interlocked.CompareExchange(ref *(int*)(p + StateOffset), Probing, Alive);
    }

    /// <summary>The owner's move: PROBING -> ALIVE, heartbeat + 1. True when a probe was answered.</summary>
    public static bool Answer(byte* p)
    {
        if (Volatile.Read(ref *(int*)(p + StateOffset)) != Probing) return false;
        Interlocked.Increment(ref *(long*)(p + HeartbeatOffset));
        return Interlocked.CompareExchange(ref *(int*)(p + StateOffset), Alive, Probing) == Probing;
    }

    /// <summary>The owner's goodbye: the segment is no longer in use and may be removed.</summary>
    public static void Release(byte* p) => Volatile.Write(ref *(int*)(p + StateOffset), Released);
}
