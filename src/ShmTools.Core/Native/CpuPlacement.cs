using System.Numerics;

namespace ShmTools.Core.Native;

/// <summary>
/// Which CPU a thread runs on. A thread started to work beside its creator right after the
/// process was idle is often put on the creator's own CPU (the scheduler judges the creator light
/// after its sleep), and shares it until a load balance moves one of them, milliseconds later:
/// the two then run one at a time. <see cref="Leave"/> moves the calling thread to another CPU it
/// may use, then lets it run on any of them again (<see cref="Threading.SideBySide"/> uses it).
/// </summary>
public static unsafe class CpuPlacement
{
    private const int MaskBytes = 128; // 1,024 CPUs; a larger kernel mask makes the calls fail, and nothing is moved

    /// <summary>Linux with the calls in its libc (elsewhere every method here does nothing).</summary>
    private static readonly bool Available = Probe();

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return LibC.SchedGetCpu() >= 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The CPU the calling thread runs on now, or -1.</summary>
    public static int Current() => Available ? LibC.SchedGetCpu() : -1;

    /// <summary>How many CPUs the calling thread may run on, or -1 when that cannot be read.</summary>
    public static int AllowedCount()
    {
        if (!Available) return -1;
        byte* allowed = stackalloc byte[MaskBytes];
        new Span<byte>(allowed, MaskBytes).Clear();
        return LibC.SchedGetAffinity(0, MaskBytes, allowed) == 0 ? Count(allowed) : -1;
    }

    /// <summary>Moves the calling thread onto <paramref name="cpu"/> and gives it back every CPU it could use before; false when that cannot be done.</summary>
    internal static bool MoveTo(int cpu)
    {
        if (!Available || cpu < 0 || cpu >= MaskBytes * 8) return false;
        byte* allowed = stackalloc byte[MaskBytes];
        byte* only = stackalloc byte[MaskBytes];
        new Span<byte>(allowed, MaskBytes).Clear();
        new Span<byte>(only, MaskBytes).Clear();
        if (LibC.SchedGetAffinity(0, MaskBytes, allowed) != 0 || (allowed[cpu >> 3] & (1 << (cpu & 7))) == 0) return false;
        only[cpu >> 3] = (byte)(1 << (cpu & 7));
        if (LibC.SchedSetAffinity(0, MaskBytes, only) != 0) return false;
        LibC.SchedSetAffinity(0, MaskBytes, allowed);
        return true;
    }

    private static int Count(byte* mask)
    {
        int count = 0;
        for (int i = 0; i < MaskBytes; i += 8) count += BitOperations.PopCount(*(ulong*)(mask + i));
        return count;
    }

    /// <summary>
    /// When the calling thread runs on <paramref name="cpu"/> and may run on another CPU, moves it
    /// to another and gives it back every CPU it could use before (it stays where it was moved
    /// until the scheduler moves it). A thread elsewhere is left alone. Never throws. False when
    /// it cannot be done at all (one CPU allowed, or the calls refused), so callers stop asking.
    /// </summary>
    public static bool Leave(int cpu)
    {
        if (!Available || cpu < 0 || cpu >= MaskBytes * 8) return false;
        if (Current() != cpu) return true;
        byte* allowed = stackalloc byte[MaskBytes];
        byte* others = stackalloc byte[MaskBytes];
        new Span<byte>(allowed, MaskBytes).Clear();
        if (LibC.SchedGetAffinity(0, MaskBytes, allowed) != 0) return false;
        if ((allowed[cpu >> 3] & (1 << (cpu & 7))) == 0) return true; // not allowed there: the scheduler moves it
        if (Count(allowed) < 2) return false;
        new Span<byte>(allowed, MaskBytes).CopyTo(new Span<byte>(others, MaskBytes));
        others[cpu >> 3] &= (byte)~(1 << (cpu & 7));
        if (LibC.SchedSetAffinity(0, MaskBytes, others) != 0) return false;
        LibC.SchedSetAffinity(0, MaskBytes, allowed);
        return true;
    }
}
