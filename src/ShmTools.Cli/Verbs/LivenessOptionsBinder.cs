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
    public Option<int[]> IgnoreInvisible { get; } = new("--ignore-invisible") { Description = "A pid that cannot be read but is known to hold no shared memory (e.g. a sandbox's init); repeatable.", Arity = ArgumentArity.OneOrMore };

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
        return defaults with { ProbeTimeout = probe, OrphanAge = orphan, IgnoreInvisible = parse.GetValue(IgnoreInvisible) ?? [] };
    }

    /// <summary>A duration option through Core's one parser; null when the option was not given.</summary>
    public static TimeSpan? Time(string? text, string option)
    {
        if (text == null) return null;
        if (Duration.TryParse(text, out var t, out var problem)) return t;
        throw new UsageException($"{option} {text}: {problem}.");
    }
}
