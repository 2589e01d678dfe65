using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Core.Threading;

namespace ShmTools.Core.Liveness;

/// <summary>
/// Probes POSIX segments the way the lease protocol asks: a non-blocking exclusive lock of each
/// kind (OFD and flock; they do not conflict with each other), then the handshake on a header if
/// there is one. All handshakes of a batch share one wait, so a thousand segments cost one
/// timeout, not a thousand.
/// <para>
/// Headers are read and written with pread and pwrite on the open descriptor, never through a
/// mapping: the file belongs to someone else, who may truncate it at any moment, and a mapping
/// would then kill this process with SIGBUS. A short read means the file shrank while it was
/// probed; that segment is then not probed (its verdict is Unknown) and the batch goes on.
/// </para>
/// <para>
/// System V segments are never probed: attaching would make this process their last attacher
/// and reset their attach and detach times, the facts they are judged by. They are judged from
/// the kernel's table alone.
/// </para>
/// </summary>
public static class SegmentProber
{
    private sealed class Pending
    {
        public required int Index;
        public required int Fd;
        public required string Path; // as shown to people
        public required ProbeOutcome Outcome;
        public required FileStatus Before;
        public ulong Heartbeat;
    }

    /// <summary>Below this many segments per extra thread the probes are opened on the caller's thread alone.</summary>
    internal const int MinimumPerThread = 256;

    public static ProbeOutcome?[] Probe(IReadOnlyList<ShmSegment> segments, TimeSpan timeout, CancellationToken cancel = default)
    {
        var results = new ProbeOutcome?[segments.Count];
        // Opening and probing are one file's syscalls after another's, independent of each other:
        // large lists are opened in chunks on two threads, and the answers are awaited together.
        var pending = new ConcurrentQueue<List<Pending>>();
        try
        {
            Chunked.Run(segments.Count, (from, to) =>
            {
                var mine = new List<Pending>(); // queued before anything opens: the finally closes it even if this part fails
                pending.Enqueue(mine);
                Open(segments, from, to, results, mine, cancel);
                return 0;
            }, threads: Math.Min(2, Environment.ProcessorCount), minimumPerThread: MinimumPerThread);
            WaitForAnswers(pending.SelectMany(p => p).ToList(), results, timeout, cancel);
        }
        finally
        {
            foreach (var p in pending.SelectMany(p => p))
            {
                if (results[p.Index] is not { Answered: true }) RestoreTimes(p.Fd, p.Before);
                Posix.Close(p.Fd);
            }
        }
        return results;
    }

    /// <summary>
    /// Opens and probes segments [<paramref name="from"/>, <paramref name="to"/>): their outcomes go to
    /// <paramref name="results"/>; those whose owner is asked to answer stay open in <paramref name="pending"/>.
    /// </summary>
    private static void Open(IReadOnlyList<ShmSegment> segments, int from, int to, ProbeOutcome?[] results, List<Pending> pending, CancellationToken cancel)
    {
        Span<byte> header = stackalloc byte[LeaseHeader.Size];
        using var dirs = new ParentDirectories();
        for (int i = from; i < to; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var s = segments[i];
            if (s.Kind is not (SegmentKind.Posix or SegmentKind.Semaphore)) continue;
            int fd = OpenPosix(s, dirs, header, out results[i], out var before);
            if (fd < 0) continue;
            var o = results[i]!;
            bool keep = false, wrote = false;
            try
            {
                o = o with { HeaderPresent = true, OwnerPid = LeaseHeader.OwnerPid(header), OwnerStartTicks = LeaseHeader.OwnerStartTicks(header) };
                int found = LeaseHeader.State(header);
                if (found == LeaseHeader.Released || o.LockHeldBy != null)
                {
                    results[i] = o with { HeaderState = found };
                    continue;
                }
                ulong beat = LeaseHeader.Heartbeat(header);
                wrote = true;
                if (BeginProbe(fd, header, out found) is { } error)
                {
                    results[i] = new ProbeOutcome { LockHeldBy = o.LockHeldBy, Error = $"{s.DisplayPath}: {error}" };
                    continue;
                }
                results[i] = o with { HeaderState = found };
                if (found == LeaseHeader.Released) continue;
                pending.Add(new Pending { Index = i, Fd = fd, Path = s.DisplayPath, Outcome = results[i]!, Before = before, Heartbeat = beat });
                keep = true;
            }
            finally
            {
                if (!keep)
                {
                    if (wrote) RestoreTimes(fd, before);
                    Posix.Close(fd);
                }
            }
        }
    }

    /// <summary>
    /// The handshake writes the header, which makes the file look just used. Unless someone
    /// answered (then it is in use anyway), its access and modification times are put back, so
    /// the probe does not restart its age. Only its owner or root may do that; otherwise the
    /// times stay as the write left them.
    /// </summary>
    private static void RestoreTimes(int fd, FileStatus before) => Posix.SetTimes(fd, before.Accessed, before.Modified);

    /// <summary>
    /// The prober's move, ALIVE -> PROBING, with pread and pwrite: the state is written only
    /// when it was read as ALIVE, and only the state word (a user's answer is PROBING -> ALIVE,
    /// so the two never undo each other's meaning). Returns an error text, or null.
    /// </summary>
    private static string? BeginProbe(int fd, Span<byte> header, out int found)
    {
        found = LeaseHeader.State(header);
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(word, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (Posix.WriteAt(fd, word, LeaseHeader.LastProbeOffset) != 8) return "the handshake header could not be written";
        if (ReadHeader(fd, header) is { } error) return error;
        found = LeaseHeader.State(header);
        if (found != LeaseHeader.Alive) return null; // PROBING: another probe is under way, wait as well
        BinaryPrimitives.WriteInt32LittleEndian(word, LeaseHeader.Probing);
        return Posix.WriteAt(fd, word[..4], LeaseHeader.StateOffset) == 4 ? null : "the handshake header could not be written";
    }

    /// <summary>Reads the whole header; an error text when the file is shorter than one (truncated meanwhile).</summary>
    private static string? ReadHeader(int fd, Span<byte> header)
    {
        int n = Posix.ReadAt(fd, header, 0);
        if (n == header.Length) return null;
        return n < 0 ? $"reading the handshake header failed: {Errors.Describe(-n)}" : $"the file shrank to {n} bytes while it was probed";
    }

    private static void WaitForAnswers(List<Pending> pending, ProbeOutcome?[] results, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var open = new List<Pending>(pending);
        Span<byte> header = stackalloc byte[LeaseHeader.Size];
        while (open.Count > 0)
        {
            for (int k = open.Count - 1; k >= 0; k--)
            {
                var p = open[k];
                string? error = ReadHeader(p.Fd, header);
                if (error == null && !LeaseHeader.IsPresent(header)) error = "the handshake header vanished while it was probed";
                if (error != null)
                {
                    results[p.Index] = new ProbeOutcome { LockHeldBy = p.Outcome.LockHeldBy, Error = $"{p.Path}: {error}" };
                    open.RemoveAt(k);
                }
                else if (LeaseHeader.State(header) == LeaseHeader.Alive || LeaseHeader.Heartbeat(header) != p.Heartbeat)
                {
                    results[p.Index] = p.Outcome with { Answered = true, AnswerTime = clock.Elapsed, HeaderState = LeaseHeader.Alive };
                    open.RemoveAt(k);
                }
                else if (LeaseHeader.State(header) == LeaseHeader.Released)
                {
                    results[p.Index] = p.Outcome with { HeaderState = LeaseHeader.Released };
                    open.RemoveAt(k);
                }
            }
            if (open.Count == 0 || clock.Elapsed >= timeout) break;
            // Waits on the token, so a cancel ends the wait at once rather than at the timeout.
            if (cancel.WaitHandle.WaitOne(5)) cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Opens a listed file (by its raw name, relative to its directory), checks it is still that
    /// file, probes its locks and reads its header. Returns the open descriptor when a header is
    /// present (in <paramref name="header"/>), else -1 with the outcome so far.
    /// </summary>
    private static int OpenPosix(ShmSegment s, ParentDirectories dirs, Span<byte> header, out ProbeOutcome? outcome, out FileStatus before)
    {
        before = default;
        DirectoryHandle dir;
        try
        {
            dir = dirs.Of(s.Path);
        }
        catch (IOException ex)
        {
            outcome = new ProbeOutcome { Error = ex.Message };
            return -1;
        }
        int fd = dir.OpenFile(s.EntryName(), write: true, out bool readsUnseen);
        if (fd < 0)
        {
            // Gone from its directory since it was listed (removed by its owner, or renamed): said so plainly.
            outcome = new ProbeOutcome
            {
                Error = -fd == Posix.ENOENT ? $"{s.DisplayPath} is no longer there: removed or renamed since it was listed"
                    : $"cannot open {s.DisplayPath}: {Errors.Describe(-fd)}",
            };
            return -1;
        }
        bool keep = false;
        try
        {
            if (Posix.StatFd(fd, out before) != 0 || before.Type != UnixFileType.RegularFile || before.Inode != s.Inode || before.Device.ToString() != s.Device)
            {
                outcome = new ProbeOutcome { Error = $"{s.DisplayPath} is no longer the segment that was listed" };
                return -1;
            }
            string? held = null;
            // The record lock is only asked about (F_OFD_GETLK), never taken: a producer taking its
            // lease or another checker looking at this moment is not refused because of this look.
            if (FileLocks.OfdTest(fd, exclusive: true, out _) == FileLocks.Attempt.HeldByOther) held = "ofd";
            if (held == null)
            {
                if (FileLocks.Flock(fd, exclusive: true, out _) == FileLocks.Attempt.HeldByOther) held = "flock";
                else FileLocks.FlockRelease(fd);
            }
            outcome = new ProbeOutcome { LockHeldBy = held };
            if (before.SizeBytes < LeaseHeader.Size)
            {
                // Listed large enough for a header, now too small for one: it changed under the
                // probe (truncated by its owner, say), so nothing here can be judged from it.
                if (s.SizeBytes >= LeaseHeader.Size)
                    outcome = outcome with { Error = $"{s.DisplayPath}: the file shrank to {before.SizeBytes} bytes while it was probed (listed with {s.SizeBytes})" };
                return -1;
            }
            if (!readsUnseen)
            {
                // Reading would set its access time (its owner's or root's reads do not), and
                // the times could not be put back: the file would look just used from then on.
                outcome = outcome with { Error = $"{s.DisplayPath}: not read, as reading it would mark it as just used (only its owner or root can read it unseen)" };
                return -1;
            }
            if (ReadHeader(fd, header) is { } error)
            {
                outcome = outcome with { Error = $"{s.DisplayPath}: {error}" };
                return -1;
            }
            if (!LeaseHeader.IsPresent(header)) return -1;
            keep = true;
            return fd;
        }
        finally
        {
            if (!keep) Posix.Close(fd);
        }
    }
}
