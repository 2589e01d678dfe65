using ShmTools.Core.Liveness;
using ShmTools.Core.Native;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// Removes a batch of POSIX segments without ever unlinking one that a process holds
/// (docs/lease-protocol.md, "How ShmTools removes a segment"):
/// 1. each one is checked by name (a regular file with one name on the directory's tmpfs, the
///    same device, inode, size and modification time as when it was judged), opened without
///    following links and locked exclusively (OFD and flock), so no cooperating user can take its
///    lease meanwhile;
/// 2. the intent lines are made durable in the audit log;
/// 3. each is renamed (no-replace) to a private quarantine name: from now on nobody can open it by
///    its name;
/// 4. ONE holder pass over /proc looks for maps and descriptors of the parked inodes;
/// 5. the unheld are unlinked under a write lease (granted by the kernel only while no other open
///    file of the inode exists anywhere, so what the pass could not see cannot slip through), the
///    held are renamed back (no-replace). One whose name was re-created meanwhile cannot go back:
///    it stays parked and is reported as Stranded.
/// </summary>
internal sealed class PosixSegmentRemoval
{
    internal delegate void Outcome(LivenessResult r, CleanupAction action, string reason, long freed = 0, string? error = null, string? quarantine = null);

    private sealed class Parked
    {
        public required LivenessResult Result;
        public required string Name;
        /// <summary>The exact bytes of the name (NUL-terminated): a name that is not UTF-8 stays removable.</summary>
        public required byte[] NameZ;
        public required int Fd;
        public required FileStatus Status;
        public string Quarantine = "";
        public bool InQuarantine;
        public FileKey Key => new(Status.Device, Status.Inode);
    }

    private readonly LivenessOptions _liveness;
    private readonly string _procRoot;
    private readonly AuditLog? _log;

    /// <summary>Runs between the quarantine and the holder pass (tests use it to race the protocol).</summary>
    internal Action<IReadOnlyList<(string Directory, string Name, string Quarantine)>>? AfterQuarantine { get; init; }

    public PosixSegmentRemoval(LivenessOptions liveness, string procRoot, AuditLog? log)
    {
        _liveness = liveness;
        _procRoot = procRoot;
        _log = log;
    }

    /// <summary>Removes one batch of segments that live in one directory.</summary>
    public void Remove(string directory, IReadOnlyList<LivenessResult> batch, Outcome outcome)
    {
        DirectoryHandle dir;
        try
        {
            dir = DirectoryHandle.Open(directory);
        }
        catch (IOException ex)
        {
            foreach (var r in batch) outcome(r, CleanupAction.Failed, r.Reason, error: ex.Message);
            return;
        }
        var results = new List<Action>();
        void Later(LivenessResult r, CleanupAction a, string reason, long freed = 0, string? error = null, string? quarantine = null) =>
            results.Add(() => outcome(r, a, reason, freed, error, quarantine));
        var parked = new List<Parked>();
        using (dir)
        {
            try
            {
                Steps();
            }
            finally
            {
                // Whatever happened, nothing stays parked unaccounted for, and every outcome
                // (also "put back" after a failure) reaches the caller and the audit log.
                foreach (var p in parked)
                {
                    if (p.InQuarantine) PutBack(dir, p, "removal interrupted", p.Result.Verdict, Later);
                    Posix.Close(p.Fd); // releases both locks
                }
                foreach (var write in results) write();
            }
        }

        void Steps()
        {
            if (dir.Status(out var dst) != 0 || dir.FileSystemType(out long magic) != 0 || magic != Posix.TmpfsMagic)
            {
                foreach (var r in batch) Later(r, CleanupAction.Kept, $"at removal: {dir.Path} is not a tmpfs: nothing is removed outside one");
                return;
            }
            foreach (var r in batch)
            {
                var p = Prepare(dir, dst, r, out var why, out bool failed);
                if (p != null) parked.Add(p);
                else Later(r, failed ? CleanupAction.Failed : CleanupAction.Kept, failed ? r.Reason : "at removal: " + why, error: failed ? why : null);
            }
            if (parked.Count == 0) return;

            // Write-ahead: nothing is renamed before every intent is on disk.
            if (_log != null)
            {
                foreach (var p in parked) _log.Intend(p.Result, p.Quarantine);
                _log.Commit();
            }

            foreach (var p in parked) Quarantine(dir, p, Later);
            var inQuarantine = parked.Where(p => p.InQuarantine).ToList();
            if (inQuarantine.Count == 0) return;
            AfterQuarantine?.Invoke(inQuarantine.Select(p => (dir.Path, p.Name, p.Quarantine)).ToList());

            var own = new Dictionary<FileKey, int>();
            foreach (var p in inQuarantine) own.TryAdd(p.Key, p.Fd); // one lock per inode: a second open of it would not have locked
            var ignore = _liveness.IgnoreInvisible.ToHashSet();
            var pass = HolderPass.Run(own, _procRoot, ignore);
            var held = new Dictionary<FileKey, Holding>(pass.Held);
            var doubt = new Dictionary<FileKey, string>();
            if (pass.Doubt != null) foreach (var key in own.Keys) doubt[key] = pass.Doubt;
            WaitForCopies(pass.OnlyCopies, own, ignore, held, doubt);
            // What /proc hides from the pass (another pid namespace, hidepid): only a lease can rule out a holder there.
            var hidden = ProcVisibility.Detect(_procRoot).Limits.FirstOrDefault();
            foreach (var p in inQuarantine)
            {
                if (held.TryGetValue(p.Key, out var h))
                    PutBack(dir, p, $"held by pid {h.Pid} via {(h.Via == AttachmentKind.Map ? "map" : "fd")}", Verdict.Live, Later);
                else if (doubt.TryGetValue(p.Key, out var why))
                    PutBack(dir, p, why, Verdict.Unknown, Later);
                else
                    Unlink(dir, p, hidden, Later);
            }
        }
    }

    private const int CopyPasses = 6;
    private static readonly TimeSpan CopyWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Files held only through copies of the cleaner's own lock descriptor (a child forked to start
    /// a program holds them until its exec, a moment later): the lease cannot see such a copy, so
    /// the pass is run again for them, up to six times 10 ms apart, and a file counts as unheld only
    /// when two passes in a row find no holder of it at all (one pass reads a process's maps before
    /// its descriptors: a copy mapped and then closed in between is seen by the next). One still
    /// held stays held.
    /// </summary>
    private void WaitForCopies(IReadOnlySet<FileKey> onlyCopies, Dictionary<FileKey, int> own, HashSet<int> ignore,
        Dictionary<FileKey, Holding> held, Dictionary<FileKey, string> doubt)
    {
        var cleanPasses = onlyCopies.Where(k => !doubt.ContainsKey(k)).ToDictionary(k => k, _ => 0);
        for (int i = 0; i < CopyPasses && cleanPasses.Count > 0; i++)
        {
            Thread.Sleep(CopyWait);
            var again = HolderPass.Run(cleanPasses.Keys.ToDictionary(k => k, k => own[k]), _procRoot, ignore);
            foreach (var key in cleanPasses.Keys.ToList())
            {
                if (again.Held.TryGetValue(key, out var h))
                {
                    held[key] = h;
                    if (again.OnlyCopies.Contains(key)) cleanPasses[key] = 0;
                    else cleanPasses.Remove(key);
                }
                else if (again.Doubt != null)
                {
                    doubt[key] = again.Doubt;
                    held.Remove(key);
                    cleanPasses.Remove(key);
                }
                else if (++cleanPasses[key] == 2)
                {
                    held.Remove(key);
                    cleanPasses.Remove(key);
                }
            }
        }
    }

    private static Parked? Prepare(DirectoryHandle dir, FileStatus dst, LivenessResult r, out string why, out bool failed)
    {
        failed = false;
        var s = r.Segment;
        string name = s.Path[(s.Path.LastIndexOf('/') + 1)..];
        byte[] nameZ = s.EntryName();
        int e = dir.Stat(nameZ, out var st);
        if (e != 0) { why = Posix.IsGone(e) ? "no longer exists" : $"cannot stat: {Errors.Describe(e)}"; failed = !Posix.IsGone(e); return null; }
        if (st.Type != UnixFileType.RegularFile) { why = $"is now a {st.Type}, not a regular file"; return null; }
        if (st.Device != dst.Device) { why = "is not on the directory's tmpfs"; return null; }
        if (st.Device.ToString() != s.Device || st.Inode != s.Inode) { why = "was replaced by another file since it was checked"; return null; }
        if (st.LinkCount != 1) { why = $"has {st.LinkCount} names: removing one would free nothing"; return null; }

        int fd = dir.OpenFile(nameZ);
        if (fd < 0)
        {
            failed = -fd != Posix.ENOENT;
            why = failed ? $"cannot open: {Errors.Describe(-fd)}" : "no longer exists";
            return null;
        }
        if (Check(fd, st, s) is { } refused)
        {
            why = refused;
            Posix.Close(fd);
            return null;
        }
        why = "";
        return new Parked { Result = r, Name = name, NameZ = nameZ, Fd = fd, Status = st, Quarantine = QuarantineNames.For(name) };
    }

    private static string? Check(int fd, FileStatus st, ShmSegment s)
    {
        if (Posix.StatFd(fd, out var fst) != 0 || fst.Inode != st.Inode || fst.Device != st.Device)
            return "was replaced by another file while being opened";
        if (fst.SizeBytes != s.SizeBytes || (s.Modified is { } m && fst.Modified != m))
            return "was written to or resized since it was judged";
        if (FileLocks.OfdLock(fd, exclusive: true, wait: false, out _) != FileLocks.Attempt.Acquired)
            return "a lock lease was taken on it just now";
        if (FileLocks.Flock(fd, exclusive: true, out _) != FileLocks.Attempt.Acquired)
            return "a flock was taken on it just now";
        return null;
    }

    private static void Quarantine(DirectoryHandle dir, Parked p, PosixSegmentRemoval.Outcome later)
    {
        int e = dir.RenameNoReplace(p.NameZ, DirectoryHandle.Z(p.Quarantine));
        if (e == LibC.EEXIST)
        {
            p.Quarantine = QuarantineNames.For(p.Name);
            e = dir.RenameNoReplace(p.NameZ, DirectoryHandle.Z(p.Quarantine));
        }
        if (e != 0)
        {
            bool gone = Posix.IsGone(e);
            later(p.Result, gone ? CleanupAction.Kept : CleanupAction.Failed, gone ? "at removal: no longer exists" : p.Result.Reason,
                error: gone ? null : $"cannot rename for removal: {Errors.Describe(e)}");
            return;
        }
        p.InQuarantine = true;
        // The name could have been re-created between the open and the rename: then the file just
        // parked is somebody else's, and goes straight back.
        if (dir.Stat(p.Quarantine, out var qst) != 0 || qst.Inode != p.Status.Inode || qst.Device != p.Status.Device)
            PutBack(dir, p, "was swapped for another file during removal", Verdict.Unknown, later);
    }

    private static void Unlink(DirectoryHandle dir, Parked p, string? hidden, PosixSegmentRemoval.Outcome later)
    {
        // The kernel's word on what /proc could not show: a write lease is granted only when no
        // other open file (descriptor, mapping, descriptor in flight) of this inode exists.
        var lease = FileLocks.WriteLease(p.Fd, out int leaseErrno);
        if (lease == FileLocks.Attempt.HeldByOther)
        {
            PutBack(dir, p, "open in a process the holder pass did not see (the kernel refused an exclusive lease)", Verdict.Live, later);
            return;
        }
        bool leased = lease == FileLocks.Attempt.Acquired;
        if (!leased && hidden != null)
        {
            PutBack(dir, p, $"no lease ({Errors.Describe(leaseErrno)}) and {hidden}: a holder there may be invisible", Verdict.Unknown, later);
            return;
        }
        try
        {
            // Only ever unlink the very inode parked, with its one name.
            if (dir.Stat(p.Quarantine, out var qst) != 0 || qst.Inode != p.Status.Inode || qst.Device != p.Status.Device
                || Posix.StatFd(p.Fd, out var fst) != 0 || fst.LinkCount != 1)
            {
                PutBack(dir, p, "changed while parked for removal", Verdict.Unknown, later);
                return;
            }
            if (leased && !FileLocks.WriteLeaseIntact(p.Fd))
            {
                PutBack(dir, p, "opened by another process while parked", Verdict.Live, later);
                return;
            }
            int e = dir.Unlink(p.Quarantine);
            if (e != 0)
            {
                PutBack(dir, p, $"cannot unlink: {Errors.Describe(e)}", p.Result.Verdict, later, failed: true);
                return;
            }
            p.InQuarantine = false;
            later(p.Result, CleanupAction.Removed, leased ? p.Result.Reason : $"{p.Result.Reason} (no lease: {Errors.Describe(leaseErrno)}; the holder pass alone vouched)", fst.AllocatedBytes);
        }
        finally
        {
            if (leased) FileLocks.ReleaseLease(p.Fd);
        }
    }

    private static void PutBack(DirectoryHandle dir, Parked p, string why, Verdict verdict, PosixSegmentRemoval.Outcome later, bool failed = false)
    {
        var r = verdict == p.Result.Verdict ? p.Result : p.Result with { Verdict = verdict };
        int e = dir.RenameNoReplace(DirectoryHandle.Z(p.Quarantine), p.NameZ);
        if (e == 0)
        {
            p.InQuarantine = false;
            if (failed) later(r, CleanupAction.Failed, r.Reason, error: why + "; put back");
            else later(r, CleanupAction.Kept, "at removal: " + why + "; put back under its name");
            return;
        }
        if (Posix.IsGone(e))
        {
            p.InQuarantine = false;
            later(r, CleanupAction.Kept, $"at removal: {why}; then removed from its quarantine name by someone else");
            return;
        }
        p.InQuarantine = false; // stays parked, but is accounted for: reported, never silently
        later(r, CleanupAction.Stranded, $"at removal: {why}",
            error: e == LibC.EEXIST
                ? $"its name was re-created while it was parked, so it could not be put back: kept as {p.Quarantine}"
                : $"could not be put back ({Errors.Describe(e)}): kept as {p.Quarantine}",
            quarantine: p.Quarantine);
    }
}
