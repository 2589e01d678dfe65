using System.Diagnostics;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Text;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// Keeps two cleanups of one directory from looking at each other's work: while one judges or
/// removes, its probes and lease questions would count as holders to the other, and the
/// other's locks and parked names as leases to it, so both could keep a stale segment. The
/// lock is an exclusive flock on the directory itself (every mount namespace that shares the
/// tmpfs shares it), held only while judging and while removing, never while an approver asks
/// a person.
/// <para>
/// Safety never depends on it: the removal protocol holds without it. So a lock that stays
/// taken (any user who can read the directory can flock it) is waited on for a bounded time,
/// and then the cleanup goes on without it and says so.
/// </para>
/// </summary>
internal sealed class CleanupLock : IDisposable
{
    private readonly DirectoryHandle _dir;

    private CleanupLock(DirectoryHandle dir) => _dir = dir;

    /// <summary>
    /// Takes the lock on <paramref name="directory"/>, waiting up to <paramref name="wait"/> (zero:
    /// one try); null when the directory cannot be opened or the lock stayed taken (then
    /// <paramref name="heldElsewhere"/> is true and <paramref name="notify"/> has been told).
    /// </summary>
    public static CleanupLock? Take(string directory, string step, TimeSpan wait, Action<string>? notify, CancellationToken cancel, out bool heldElsewhere)
    {
        heldElsewhere = false;
        DirectoryHandle dir;
        try
        {
            dir = DirectoryHandle.Open(directory);
        }
        catch (IOException)
        {
            return null; // nothing there to clean, or the cleanup reports why on its own
        }
        if (dir.Flock(exclusive: true) == FileLocks.Attempt.Acquired) return new CleanupLock(dir);

        string shown = TerminalText.Name(directory);
        string who = Holders(dir) is { Length: > 0 } pids ? $" (held by pid {pids})" : "";
        const string Consequence = "Nothing live can be removed because of that, but segments the other process is looking at may be kept for this run.";
        heldElsewhere = true;
        if (wait <= TimeSpan.Zero)
        {
            dir.Dispose();
            notify?.Invoke($"the cleanup lock on {shown} is still taken{who}: {step} without it. {Consequence}");
            return null;
        }
        notify?.Invoke($"another cleanup of {shown} is under way{who}: waiting up to {Seconds(wait)} for it before {step}.");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < wait)
        {
            cancel.ThrowIfCancellationRequested();
            Thread.Sleep(20);
            if (dir.Flock(exclusive: true) == FileLocks.Attempt.Acquired) return new CleanupLock(dir);
        }
        dir.Dispose();
        notify?.Invoke($"the cleanup lock on {shown} is still taken{who} after {Seconds(wait)}: {step} without it. {Consequence}");
        return null;
    }

    public void Dispose() => _dir.Dispose(); // closing the directory releases the flock

    private static string Seconds(TimeSpan t) => t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms" : $"{t.TotalSeconds:0.#} s";

    /// <summary>The pids /proc/locks names as holding a flock on this directory (those in this pid namespace).</summary>
    private static string Holders(DirectoryHandle dir)
    {
        if (dir.Status(out var st) != 0) return "";
        try
        {
            return string.Join(", ", ProcLocks.Holders(File.ReadLines("/proc/locks"), st.Device, st.Inode, "FLOCK").Distinct());
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
