using System.Diagnostics;
using ShmTools.Core.Native;

namespace ShmTools.Core.Threading;

/// <summary>
/// Keeps the threads of one parallel step off the CPU of the thread that started them (the lead),
/// which works too. After the process was idle a while, the scheduler tends to start a new thread
/// on its creator's CPU and to leave it there for several milliseconds while another CPU idles:
/// the step then runs one thread at a time. Each thread calls <see cref="Note"/> between pieces of
/// its work: the lead notes its CPU; another thread that has shared that CPU with it for
/// <see cref="Patience"/> moves off it. A shorter sharing is left to the scheduler, which often
/// ends it sooner and better (moving at once, right after a busy spell, made scans slower).
/// Made on the lead's thread.
/// </summary>
internal sealed class SideBySide
{
    /// <summary>How long a thread shares the lead's CPU before it moves off.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(0.5);

    private static readonly long PatienceTicks = (long)(Patience.TotalSeconds * Stopwatch.Frequency);

    [ThreadStatic] private static SideBySide? t_of;
    [ThreadStatic] private static long t_sharedSince; // when this thread was first seen on the lead's CPU, 0 when it is not

    private readonly int _leadThread = Environment.CurrentManagedThreadId;
    private int _leadCpu = CpuPlacement.Current();
    private volatile bool _cannot;

    public void Note()
    {
        if (Environment.CurrentManagedThreadId == _leadThread)
        {
            Volatile.Write(ref _leadCpu, CpuPlacement.Current());
            return;
        }
        if (_cannot) return;
        if (!ReferenceEquals(t_of, this)) (t_of, t_sharedSince) = (this, 0);
        int lead = Volatile.Read(ref _leadCpu);
        if (lead < 0 || CpuPlacement.Current() != lead)
        {
            t_sharedSince = 0;
            return;
        }
        long now = Stopwatch.GetTimestamp();
        if (t_sharedSince == 0) t_sharedSince = now;
        else if (now - t_sharedSince >= PatienceTicks)
        {
            t_sharedSince = 0;
            if (!CpuPlacement.Leave(lead)) _cannot = true;
        }
    }
}
