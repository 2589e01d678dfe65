using System.Collections.Concurrent;
using System.Diagnostics;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Core.Liveness;

/// <summary>
/// One judge or remover at a time per shm directory, so that nobody's looking changes what
/// another judges: a probe's descriptors (held open through the handshake wait) and a lease
/// question's open would make another checker's lease question refused (Live), a remover's
/// locks on the segments it parks would look like leases, and a probe's descriptor like a
/// holder to a remover's holder pass. The lock is an exclusive flock on the directory itself
/// (every mount namespace that shares the tmpfs shares it), held while a check probes and
/// decides and while a cleanup removes, never while an approver asks a person.
/// <para>
/// Safety never depends on it: the removal protocol holds without it. So a lock that stays
/// taken (any user who can read the directory can flock it) is waited on for a bounded time,
/// then the work goes on without it and says so; a directory given up on is not waited on
/// again by this process until its lock is free once more.
/// </para>
/// </summary>
internal sealed class TurnLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, bool> GivenUp = new(StringComparer.Ordinal);

    /// <summary>
    /// The directories this thread holds the turn of, by identity (device and inode: one directory
    /// can be reached by two paths, e.g. this host's /dev/shm and /proc/PID/root/dev/shm of a
    /// process whose root is this host's, and its own flock must not make it wait on itself),
    /// and how many takes share each (a cleanup's whole run, its judging inside it).
    /// </summary>
    [ThreadStatic]
    private static Dictionary<DirectoryIdentity, (DirectoryHandle Handle, int Takes)>? _mine;

    private readonly List<DirectoryIdentity> _held = new();

    /// <summary>A directory as the kernel knows it, in one order for every taker.</summary>
    private readonly record struct DirectoryIdentity(DeviceId Device, ulong Inode)
    {
        public static int Compare(DirectoryIdentity x, DirectoryIdentity y) =>
            (x.Device.Major, x.Device.Minor, x.Inode).CompareTo((y.Device.Major, y.Device.Minor, y.Inode));
    }

    private TurnLock()
    {
    }

    /// <summary>
    /// Takes the lock of every directory the POSIX segments at <paramref name="paths"/> are in
    /// (in the order of the directories' identities, so two takers never wait on each other
    /// crosswise, whatever paths they know them by). <paramref name="notify"/>
    /// hears of every wait and of every lock gone on without.
    /// </summary>
    public static TurnLock Take(IEnumerable<string> paths, string step, TimeSpan wait, Action<string>? notify, CancellationToken cancel) =>
        TakeDirectories(Directories(paths), step, wait, notify, cancel);

    /// <summary>
    /// The turn of the directories of the segments that are opened to be judged or removed
    /// (POSIX files and semaphores; System V segments are judged from the kernel's table and
    /// need none).
    /// </summary>
    public static TurnLock Take(IEnumerable<ShmSegment> segments, string step, TimeSpan wait, Action<string>? notify, CancellationToken cancel) =>
        Take(segments.Where(s => s.Kind is SegmentKind.Posix or SegmentKind.Semaphore).Select(s => s.Path), step, wait, notify, cancel);

    /// <summary>Takes the lock of each of these directories, as <see cref="Take(IEnumerable{string}, string, TimeSpan, Action{string}?, CancellationToken)"/> does.</summary>
    public static TurnLock TakeDirectories(IEnumerable<string> directories, string step, TimeSpan wait, Action<string>? notify, CancellationToken cancel)
    {
        var lockTaken = new TurnLock();
        try
        {
            var mine = _mine ??= new();
            // Opened first, then locked in the order of their identities: one directory has one
            // place in that order whatever path reaches it (this host's /dev/shm is
            // /proc/PID/root/dev/shm from a container), so two takers never wait on each other crosswise.
            var opened = new List<(DirectoryIdentity Id, string Path, DirectoryHandle Handle)>();
            try
            {
                foreach (var dir in directories.Distinct(StringComparer.Ordinal))
                {
                    DirectoryHandle handle;
                    try
                    {
                        handle = DirectoryHandle.Open(dir);
                    }
                    catch (IOException)
                    {
                        continue; // nothing there to look at: the work itself says why
                    }
                    if (handle.Status(out var st) != 0) { handle.Dispose(); continue; }
                    opened.Add((new DirectoryIdentity(st.Device, st.Inode), dir, handle));
                }
                opened.Sort((x, y) => DirectoryIdentity.Compare(x.Id, y.Id));
                for (int i = 0; i < opened.Count; i++)
                {
                    var (id, dir, handle) = opened[i];
                    opened[i] = default; // from here on this take owns the handle, or it is closed
                    if (mine.TryGetValue(id, out var held))
                    {
                        handle.Dispose();
                        mine[id] = (held.Handle, held.Takes + 1); // this thread's turn already
                    }
                    else if (TakeOne(handle, dir, step, wait, notify, cancel))
                        mine[id] = (handle, 1);
                    else continue;
                    lockTaken._held.Add(id);
                }
            }
            finally
            {
                foreach (var o in opened) o.Handle?.Dispose();
            }
        }
        catch
        {
            lockTaken.Dispose();
            throw;
        }
        return lockTaken;
    }

    /// <summary>Lets go, on the thread that took it (the last take of a directory closes it, which releases its flock).</summary>
    public void Dispose()
    {
        foreach (var id in _held)
        {
            if (_mine == null || !_mine.TryGetValue(id, out var held)) continue;
            if (held.Takes > 1) _mine[id] = (held.Handle, held.Takes - 1);
            else
            {
                _mine.Remove(id);
                held.Handle.Dispose();
            }
        }
        _held.Clear();
    }

    private static HashSet<string> Directories(IEnumerable<string> paths)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var p in paths)
        {
            // Listings come grouped by directory: a substring only where the directory changes.
            int slash = p.LastIndexOf('/');
            if (slash < 0) continue;
            if (last != null && p.AsSpan(0, Math.Max(slash, 1)).SequenceEqual(last)) continue;
            set.Add(last = slash > 0 ? p[..slash] : "/");
        }
        return set;
    }

    /// <summary>Takes the flock of the open directory, waiting as the summary says; false (and the handle closed) when gone on without it.</summary>
    private static bool TakeOne(DirectoryHandle dir, string directory, string step, TimeSpan wait, Action<string>? notify, CancellationToken cancel)
    {
        if (dir.Flock(exclusive: true) == FileLocks.Attempt.Acquired)
        {
            GivenUp.TryRemove(directory, out _);
            return true;
        }
        if (GivenUp.ContainsKey(directory))
        {
            // Given up on before, and said so then: not said again until the lock was free once.
            dir.Dispose();
            return false;
        }
        string shown = TerminalText.Name(directory);
        string who = Holders(dir) is { Length: > 0 } pids ? $" (held by pid {pids})" : "";
        if (wait > TimeSpan.Zero)
        {
            try
            {
                notify?.Invoke($"the lock on {shown} for checks and cleanups is taken{who}, most likely by another check or cleanup: waiting up to {Seconds(wait)} for it before {step}.");
            }
            catch
            {
                dir.Dispose(); // a listener that stops the run (a pipeline told to stop on a warning) leaves nothing open
                throw;
            }
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < wait)
            {
                if (cancel.IsCancellationRequested) { dir.Dispose(); cancel.ThrowIfCancellationRequested(); }
                Thread.Sleep(10);
                if (dir.Flock(exclusive: true) == FileLocks.Attempt.Acquired) return true;
            }
        }
        // Named again: the process that held it when the wait began may have let go to another.
        if (wait > TimeSpan.Zero) who = Holders(dir) is { Length: > 0 } now ? $" (held by pid {now})" : "";
        dir.Dispose();
        GivenUp[directory] = true;
        notify?.Invoke($"the lock on {shown} for checks and cleanups is still taken{who}{(wait > TimeSpan.Zero ? " after " + Seconds(wait) : "")}: {step} without it, " +
            "and without waiting for it again while it stays taken. Nothing live can be removed because of that, but what the other process is looking at may be judged Live.");
        return false;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms" : $"{t.TotalSeconds:0.#} s";

    /// <summary>The pids /proc/locks names as holding a flock on this directory (those in this pid namespace).</summary>
    private static string Holders(DirectoryHandle dir)
    {
        if (dir.Status(out var st) != 0) return "";
        try
        {
            return string.Join(", ", ProcLocks.Holders(File.ReadLines("/proc/locks"), st.Device, st.Inode, "FLOCK").Distinct());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
