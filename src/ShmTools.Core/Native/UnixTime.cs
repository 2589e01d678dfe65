namespace ShmTools.Core.Native;

/// <summary>
/// Seconds since 1970 as the kernel gives them (file times, SysV attach times), as a
/// DateTimeOffset. The kernel keeps 64-bit seconds and any user may set their own file's times
/// far outside what DateTimeOffset holds (year 1 to 9999): such a time is clamped to the nearest
/// end of the range, so it reads as "as late (or early) as can be shown" and never fails a scan.
/// A time in the future makes a segment look just used, the safe side for every age rule.
/// </summary>
public static class UnixTime
{
    private const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799;

    public static DateTimeOffset FromSeconds(long seconds, long nanoseconds = 0)
    {
        if (seconds < MinSeconds) return DateTimeOffset.MinValue;
        if (seconds > MaxSeconds) return DateTimeOffset.MaxValue;
        long ticks = DateTimeOffset.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond + Math.Clamp(nanoseconds, 0, 999_999_999) / 100;
        return new DateTimeOffset(Math.Clamp(ticks, DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero);
    }
}
