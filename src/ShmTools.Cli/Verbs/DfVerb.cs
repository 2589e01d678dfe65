using System.CommandLine;
using System.Globalization;
using ShmTools.Core.Capacity;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools df</c>: the twin of Get-ShmUsage.</summary>
public static class DfVerb
{
    public static Command Create(Option<bool> json)
    {
        var all = new Option<bool>("--all-namespaces") { Description = "Also every container's /dev/shm (other mount namespaces, through /proc/PID/root); one row per tmpfs device." };
        var top = new Option<int>("--top") { Description = "How many producers and holders to name per mount (default 5).", DefaultValueFactory = _ => 5 };
        var liveness = new LivenessOptionsBinder();
        var command = new Command("df", "How full each /dev/shm is, with what (bytes by verdict, producers) and whose (processes, containers, pods); System V against its limits.");
        command.Options.Add(all);
        command.Options.Add(top);
        liveness.AddTo(command);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(top);
            if (n < 0) throw new UsageException($"--top {n}: must be 0 or more.");
            var report = new ShmUsageScanner().Scan(new UsageQuery { AllNamespaces = parse.GetValue(all), Top = n, Liveness = liveness.Bind(parse), Notify = Warnings.Tell });
            Warnings.WriteUntold(report.Warnings);
            if (parse.GetValue(json))
                JsonOutput.Write(report, CliJsonContext.Default.ShmUsageReport);
            else
                Console.Out.Write(Render(report));
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Render(ShmUsageReport r)
    {
        string Size(long b) => ByteSize.Format(b);
        var text = Output.Table(["MOUNT", "DEVICE", "SIZE", "USED", "FREE", "USE%", "LIVE", "STALE", "ORPHANED", "UNKNOWN", "CONTAINER/POD", "TOP PRODUCERS", "TOP HOLDERS"],
            r.Mounts.Select(m => (IReadOnlyList<string>)
            [
                m.Path, m.Device,
                m.Error != null ? "?" : m.SizeBytes > 0 ? Size(m.SizeBytes) : "-",
                m.Error != null ? "?" : Size(m.UsedBytes), m.Error != null ? "?" : Size(m.FreeBytes),
                m.PercentUsed is { } p ? p.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-",
                Size(m.LiveBytes), Size(m.StaleBytes), Size(m.OrphanedBytes), Size(m.UnknownBytes),
                m.PodUid != null ? "pod " + m.PodUid : m.ContainerId != null ? m.ContainerId[..Math.Min(12, m.ContainerId.Length)] : m.Namespace == null ? "(host)" : "-",
                m.TopProducers.Count == 0 ? "-" : string.Join(", ", m.TopProducers.Select(t => $"{t.Producer} {Size(t.Bytes)}")),
                m.TopHolders.Count == 0 ? "-" : string.Join(", ", m.TopHolders.Select(h => $"{h.Pid} {h.ProcessName}")) + (m.HolderCount > m.TopHolders.Count ? $", +{m.HolderCount - m.TopHolders.Count}" : ""),
            ]),
            rightAligned: new HashSet<int> { 2, 3, 4, 5, 6, 7, 8, 9 });
        var s = r.SysV;
        string Limit(ulong? v) => v is { } x ? (x > long.MaxValue ? "unlimited" : Size((long)x)) : "?";
        text += $"\nSystem V: {s.SegmentCount} segment(s) of at most {(s.ShmMni is { } mni ? mni.ToString(CultureInfo.InvariantCulture) : "?")} (shmmni), "
            + $"{Size(s.SizeBytes)} of {Limit(s.ShmAllBytes)} (shmall), largest allowed {Limit(s.ShmMaxBytes)} (shmmax); stale {Size(s.StaleBytes)}, orphaned {Size(s.OrphanedBytes)}\n";
        return text;
    }
}
