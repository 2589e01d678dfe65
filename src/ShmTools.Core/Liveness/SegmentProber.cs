using System.Diagnostics;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Liveness;

/// <summary>
/// Probes segments the way the lease protocol asks: a non-blocking exclusive lock of each kind
/// (OFD and flock; they do not conflict with each other), then the handshake on a header if
/// there is one. All handshakes of a batch share one wait, so a thousand segments cost one
/// timeout, not a thousand.
/// </summary>
public static unsafe class SegmentProber
{
    private sealed class Pending
    {
        public required int Index;
        public required MappedRegion Region;
        public required ProbeOutcome Outcome;
        public ulong Heartbeat;
    }

    public static ProbeOutcome?[] Probe(IReadOnlyList<ShmSegment> segments, TimeSpan timeout, CancellationToken cancel = default)
    {
        var results = new ProbeOutcome?[segments.Count];
        var pending = new List<Pending>();
        try
        {
            for (int i = 0; i < segments.Count; i++)
            {
                cancel.ThrowIfCancellationRequested();
                var s = segments[i];
                var region = s.Kind switch
                {
                    SegmentKind.Posix or SegmentKind.Semaphore => OpenPosix(s, out results[i]),
                    SegmentKind.SysV when s.AttachCount == 0 && s.SysVId is { } id => AttachSysV(id, s.SizeBytes, out results[i]),
                    _ => null,
                };
                if (region == null) continue;
                var o = results[i]!;
                if (!LeaseHeader.IsPresent(region.Pointer, region.Length))
                {
                    region.Dispose();
                    continue;
                }
                var p = region.Pointer;
                o = o with { HeaderPresent = true, OwnerPid = LeaseHeader.OwnerPid(p), OwnerStartTicks = LeaseHeader.OwnerStartTicks(p) };
                int found = LeaseHeader.State(p);
                if (found == LeaseHeader.Released || o.LockHeldBy != null)
                {
                    results[i] = o with { HeaderState = found };
                    region.Dispose();
                    continue;
                }
                ulong beat = LeaseHeader.Heartbeat(p);
                found = LeaseHeader.BeginProbe(p);
                results[i] = o with { HeaderState = found };
                pending.Add(new Pending { Index = i, Region = region, Outcome = results[i]!, Heartbeat = beat });
            }
            WaitForAnswers(pending, results, timeout, cancel);
        }
        finally
        {
            foreach (var p in pending) p.Region.Dispose();
        }
        return results;
    }

    private static void WaitForAnswers(List<Pending> pending, ProbeOutcome?[] results, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var open = new List<Pending>(pending);
        while (open.Count > 0)
        {
            for (int k = open.Count - 1; k >= 0; k--)
            {
                var p = open[k];
                var ptr = p.Region.Pointer;
                if (LeaseHeader.State(ptr) == LeaseHeader.Alive || LeaseHeader.Heartbeat(ptr) != p.Heartbeat)
                {
                    results[p.Index] = p.Outcome with { Answered = true, AnswerTime = clock.Elapsed, HeaderState = LeaseHeader.Alive };
                    open.RemoveAt(k);
                }
                else if (LeaseHeader.State(ptr) == LeaseHeader.Released)
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

    private static MappedRegion? OpenPosix(ShmSegment s, out ProbeOutcome? outcome)
    {
        DirectoryHandle dir;
        string name;
        try
        {
            dir = DirectoryHandle.OpenParent(s.Path, out name);
        }
        catch (IOException ex)
        {
            outcome = new ProbeOutcome { Error = ex.Message };
            return null;
        }
        using (dir)
        {
            int fd = dir.OpenFile(name);
            if (fd < 0)
            {
                outcome = new ProbeOutcome { Error = $"cannot open {s.Path}: {Errors.Describe(-fd)}" };
                return null;
            }
            try
            {
                if (Posix.StatFd(fd, out var st) != 0 || st.Type != UnixFileType.RegularFile || st.Inode != s.Inode || st.Device.ToString() != s.Device)
                {
                    outcome = new ProbeOutcome { Error = $"{s.Path} is no longer the segment that was listed" };
                    return null;
                }
                string? held = null;
                if (FileLocks.OfdLock(fd, exclusive: true, wait: false, out _) == FileLocks.Attempt.HeldByOther) held = "ofd";
                else FileLocks.OfdUnlock(fd);
                if (held == null)
                {
                    if (FileLocks.Flock(fd, exclusive: true, out _) == FileLocks.Attempt.HeldByOther) held = "flock";
                    else FileLocks.FlockRelease(fd);
                }
                outcome = new ProbeOutcome { LockHeldBy = held };
                if (st.SizeBytes < LeaseHeader.Size) return null;
                // One read tells whether there is a header; only then is the segment mapped.
                Span<byte> magic = stackalloc byte[8];
                if (Posix.ReadAt(fd, magic, 0) != 8 || !magic.SequenceEqual(LeaseHeader.Magic)) return null;
                return MappedRegion.MapFile(fd, LeaseHeader.Size, out _);
            }
            finally
            {
                Posix.Close(fd); // the mapping outlives the descriptor
            }
        }
    }

    private static MappedRegion? AttachSysV(int shmid, long size, out ProbeOutcome? outcome)
    {
        outcome = new ProbeOutcome();
        if (size < LeaseHeader.Size) return null;
        var region = MappedRegion.AttachSysV(shmid, size, out int errno);
        if (region == null) outcome = new ProbeOutcome { Error = $"cannot attach shmid {shmid}: {Errors.Describe(errno)}" };
        return region;
    }
}
