using ShmTools.Core.Shm;
using System.CommandLine;
using ShmTools.Core.Liveness;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary>The options check and clean share for judging liveness; defaults and limits are Core's.</summary>
public sealed class LivenessOptionsBinder
{
    public Option<string?> ProbeTimeout { get; } = new("--probe-timeout")
    {
        Description = $"How long a handshake probe waits for an answer (e.g. 500ms, 2s; at least {Duration.Format(LivenessOptions.MinimumProbeTimeout)}). Default {Duration.Format(LivenessOptions.Default.ProbeTimeout)}.",
    };
    public Option<string?> OrphanAge { get; } = new("--orphan-age")
    {
        Description = $"Unattached segments of unknown owners untouched this long are Orphaned (default {Duration.Format(LivenessOptions.Default.OrphanAge)}).",
    };
    public Option<int[]> IgnoreInvisible { get; } = IgnoreInvisibleOption();

    /// <summary>The --ignore-invisible option, as list and every judging verb take it.</summary>
    public static Option<int[]> IgnoreInvisibleOption() =>
        new("--ignore-invisible") { Description = "A pid that cannot be read but is known to hold no shared memory (e.g. a sandbox's init); repeatable.", Arity = ArgumentArity.OneOrMore };

    /// <summary>The pids given, each checked to be a process id.</summary>
    public static int[] Pids(ParseResult parse, Option<int[]> option)
    {
        var pids = parse.GetValue(option) ?? [];
        foreach (var pid in pids)
            if (ShmQuery.ProcessIdProblem(pid) is { } problem) throw new UsageException($"--ignore-invisible: {problem}.");
        return pids;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(ProbeTimeout);
        command.Options.Add(OrphanAge);
        command.Options.Add(IgnoreInvisible);
    }

    public LivenessOptions Bind(ParseResult parse)
    {
        var defaults = LivenessOptions.Default;
        var probe = Time(parse.GetValue(ProbeTimeout), "--probe-timeout") ?? defaults.ProbeTimeout;
        if (LivenessOptions.ProbeTimeoutProblem(probe) is { } problem) throw new UsageException($"--probe-timeout: {problem}.");
        var orphan = Time(parse.GetValue(OrphanAge), "--orphan-age") ?? defaults.OrphanAge;
        return defaults with { ProbeTimeout = probe, OrphanAge = orphan, IgnoreInvisible = Pids(parse, IgnoreInvisible) };
    }

    /// <summary>A duration option through Core's one parser; null when the option was not given.</summary>
    public static TimeSpan? Time(string? text, string option)
    {
        if (text == null) return null;
        if (Duration.TryParse(text, out var t, out var problem)) return t;
        throw new UsageException($"{option} {text}: {problem}.");
    }
}
