using System.Collections.Concurrent;
using System.Globalization;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>
/// Process facts read from a proc filesystem on demand and cached for the life of one scan:
/// name, state, start time (the pid-reuse guard) and owner.
/// </summary>
public sealed class ProcessTable
{
    private readonly ConcurrentDictionary<int, ProcessInfo?> _cache = new();
    private readonly Lazy<DateTimeOffset> _bootTime;
    private readonly Lazy<bool> _ownNamespace;

    public ProcessTable(string procRoot = "/proc")
    {
        ProcRoot = procRoot.TrimEnd('/');
        TicksPerSecond = Posix.ClockTicksPerSecond;
        _bootTime = new Lazy<DateTimeOffset>(ReadBootTime);
        // Pids this proc shows are the pids kill() takes only when it is this process's own pid namespace's.
        _ownNamespace = new Lazy<bool>(() => Posix.ReadLink(ProcRoot + "/self") == Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    public string ProcRoot { get; }
    public long TicksPerSecond { get; }
    public DateTimeOffset BootTime => _bootTime.Value;

    /// <summary>The numeric entries of the proc root: thread-group leaders only, never threads.</summary>
    public List<int> ListPids()
    {
        var pids = new List<int>(512);
        int fd = Posix.OpenDirectory(ProcRoot);
        if (fd < 0) throw new IOException($"Cannot list {ProcRoot}: {Errors.Describe(-fd)}.");
        try
        {
            Posix.ReadDirectory(fd, (name, type, _) =>
            {
                if (type is not (UnixFileType.Directory or UnixFileType.Unknown)) return;
                int pid = 0;
                int i = 0;
                for (; i < name.Length - 1; i++)
                {
                    uint d = (uint)(name[i] - '0');
                    if (d > 9) return;
                    pid = pid * 10 + (int)d;
                }
                if (i > 0) pids.Add(pid);
            });
        }
        finally
        {
            Posix.Close(fd);
        }
        return pids;
    }

    /// <summary>Whether <paramref name="pid"/> was read into this table already (or found gone).</summary>
    internal bool HasRead(int pid) => _cache.ContainsKey(pid);

    /// <summary>The process now holding <paramref name="pid"/>, or null when there is none.</summary>
    public ProcessInfo? Get(int pid) => pid <= 0 ? null : _cache.GetOrAdd(pid, _read ??= Read);

    private Func<int, ProcessInfo?>? _read;

    /// <summary>
    /// True when <paramref name="pid"/> cannot be read here although a process with that pid
    /// exists: its entry is there but unreadable (hidepid=noaccess), or it is not listed but the
    /// kernel knows it (hidepid=invisible; kill(pid, 0) answers, or refuses with EPERM). Such a
    /// process is not dead; only its start time is unknown.
    /// </summary>
    public bool IsHidden(int pid)
    {
        if (pid <= 0 || Get(pid) != null) return false;
        // Asked once per pid, as Get reads once: a dead owner's pid is asked about for every segment it left.
        return _hidden.GetOrAdd(pid, _probeHidden ??= ProbeHidden);
    }

    private readonly ConcurrentDictionary<int, bool> _hidden = new();
    private Func<int, bool>? _probeHidden;

    private bool ProbeHidden(int pid)
    {
        if (Posix.Stat(ProcRoot + "/" + pid.ToString(CultureInfo.InvariantCulture), followLinks: false, out _) == 0) return true;
        return _ownNamespace.Value && Posix.ProcessExists(pid);
    }

    /// <summary>Forgets what was read, so a later Get sees the process as it is now.</summary>
    public void Invalidate(int pid)
    {
        _cache.TryRemove(pid, out _);
        _hidden.TryRemove(pid, out _);
    }

    private ProcessInfo? Read(int pid)
    {
        string dir = ProcRoot + "/" + pid.ToString(CultureInfo.InvariantCulture);
        byte[] buf = new byte[1024];
        if (Posix.ReadFile(dir + "/stat", ref buf, out int len, oneRecord: true) != 0) return null;
        if (!ProcStatParser.TryParse(buf.AsSpan(0, len), out var name, out var state, out var ticks)) return null;
        uint? uid = Posix.Stat(dir, followLinks: true, out var st) == 0 ? st.Uid : null;
        double seconds = ticks / (double)TicksPerSecond;
        // A start time past what DateTimeOffset holds (only a forged proc shows one) reads as the latest there is.
        var start = seconds < (DateTimeOffset.MaxValue - BootTime).TotalSeconds ? BootTime.AddSeconds(seconds) : DateTimeOffset.MaxValue;
        return new ProcessInfo(pid, name, state, ticks, start, uid, uid is { } u ? UserNames.Of(u) : null);
    }

    private DateTimeOffset ReadBootTime()
    {
        byte[] buf = new byte[8192];
        if (Posix.ReadFile(ProcRoot + "/stat", ref buf, out int len) == 0)
        {
            foreach (var line in System.Text.Encoding.ASCII.GetString(buf, 0, len).Split('\n'))
                if (line.StartsWith("btime ", StringComparison.Ordinal) &&
                    long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var secs))
                    return UnixTime.FromSeconds(secs);
        }
        return DateTimeOffset.UnixEpoch;
    }
}
