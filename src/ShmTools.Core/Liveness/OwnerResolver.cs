using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Core.Liveness;

/// <summary>
/// Finds a segment's owner and whether it still lives. Identity is (pid, start time): from the
/// handshake header exactly; for a pid from a name or the SysV table, the process must have
/// started before the segment was made, or the pid was reused.
/// </summary>
public static class OwnerResolver
{
    public static (OwnerState State, int? Pid, string Finding) Resolve(ShmSegment s, ProbeOutcome? probe, ProcessTable table)
    {
        if (probe is { HeaderPresent: true } h)
        {
            var p = table.Get(h.OwnerPid);
            if (p == null && table.IsHidden(h.OwnerPid)) return (OwnerState.Unknown, h.OwnerPid, Hidden(table, h.OwnerPid, "header owner pid"));
            if (p == null || !p.IsAlive) return (OwnerState.Dead, h.OwnerPid, $"header owner pid {h.OwnerPid} is not running");
            return p.StartTicks == h.OwnerStartTicks
                ? (OwnerState.Alive, h.OwnerPid, $"header owner pid {h.OwnerPid} ({TerminalText.Safe(p.Name)}) is alive, same start time")
                : (OwnerState.Reused, h.OwnerPid, $"header owner pid {h.OwnerPid} now belongs to {TerminalText.Safe(p.Name)}, started at another time: the owner is gone");
        }
        if (s.Kind == SegmentKind.SysV)
        {
            var made = s.Changed ?? DateTimeOffset.MinValue;
            var used = s.Accessed ?? made;
            var c = Judge(table, s.CreatorPid, made, "creator");
            var l = Judge(table, s.LastPid, used > made ? used : made, "last attacher");
            if (c.State == OwnerState.Alive) return c;
            if (l.State == OwnerState.Alive) return l;
            if (c.State == OwnerState.Unknown) return l;
            return c.State is OwnerState.Dead or OwnerState.Reused && l.State is OwnerState.Dead or OwnerState.Reused or OwnerState.Unknown
                ? (c.State, c.Pid, c.Finding + "; " + l.Finding)
                : c;
        }
        if (s.OwnerPidHint is { } pid)
        {
            if (s.Namespace != null)
                return (OwnerState.Unknown, pid, $"name carries pid {pid}, but of another pid namespace");
            return Judge(table, pid, s.Created ?? s.Changed ?? DateTimeOffset.MaxValue, "name pid");
        }
        return (OwnerState.Unknown, null, "no owner pid in the name, no header");
    }

    private static (OwnerState State, int? Pid, string Finding) Judge(ProcessTable table, int? pid, DateTimeOffset madeBy, string what)
    {
        if (pid is not > 0) return (OwnerState.Unknown, null, $"no {what} pid");
        var p = table.Get(pid.Value);
        if (p == null && table.IsHidden(pid.Value)) return (OwnerState.Unknown, pid, Hidden(table, pid.Value, what));
        if (p == null || !p.IsAlive) return (OwnerState.Dead, pid, $"{what} {pid} is not running");
        // Start times have clock-tick resolution; a second of slack never turns a live owner dead.
        return p.StartTime <= madeBy.AddSeconds(1)
            ? (OwnerState.Alive, pid, $"{what} {pid} ({TerminalText.Safe(p.Name)}) is alive and older than the segment")
            : (OwnerState.Reused, pid, $"{what} {pid} is now {TerminalText.Safe(p.Name)}, started after the segment was made: pid reused");
    }

    private static string Hidden(ProcessTable table, int pid, string what) =>
        $"{what} {pid} exists, but {table.ProcRoot} does not let it be read (hidepid?): whether it is the owner cannot be told";
}
