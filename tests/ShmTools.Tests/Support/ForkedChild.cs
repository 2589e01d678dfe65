using System.Runtime.InteropServices;

namespace ShmTools.Tests.Support;

/// <summary>
/// A child forked from the test process that never execs (helpers/native/fork_pause.c): it holds
/// copies of every descriptor the test process had at the fork, as a host's child holds them for
/// a moment between fork and exec.
/// </summary>
public sealed class ForkedChild : IDisposable
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ForkPaused([MarshalAs(UnmanagedType.LPUTF8Str)] string? openPath, int flags, int atFd, int execAfterMs);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int KillAndReap(int pid);

    private static readonly Lazy<(ForkPaused Fork, KillAndReap Kill)> Native = new(() =>
    {
        var lib = NativeLibrary.Load(NativeBuild.Library("fork_pause.c"));
        return (Marshal.GetDelegateForFunctionPointer<ForkPaused>(NativeLibrary.GetExport(lib, "fork_paused")),
            Marshal.GetDelegateForFunctionPointer<KillAndReap>(NativeLibrary.GetExport(lib, "kill_and_reap")));
    });

    private ForkedChild(int pid) => Pid = pid;

    public int Pid { get; }

    public const int O_PATH = 0x200000;

    /// <summary>
    /// Forks now; with <paramref name="openPath"/> the child also opens that file itself (open(2)
    /// <paramref name="flags"/>), moved to descriptor <paramref name="atFd"/> when given; with
    /// <paramref name="execAfterMs"/> it execs /bin/true that long after, else it never execs.
    /// </summary>
    public static ForkedChild Start(string? openPath = null, int flags = 0, int atFd = -1, int execAfterMs = -1)
    {
        var native = Native.Value; // resolved before the fork, so the child has nothing to load
        int pid = native.Fork(openPath, flags, atFd, execAfterMs);
        if (pid <= 0) throw new InvalidOperationException("fork_paused failed");
        return new ForkedChild(pid);
    }

    public void Dispose() => Native.Value.Kill(Pid);
}
