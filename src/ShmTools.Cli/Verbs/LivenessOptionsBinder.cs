using System.CommandLine;
using ShmTools.Core.Liveness;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary>The options check and clean share for judging liveness.</summary>
public sealed class LivenessOptionsBinder
{
    public Option<string?> ProbeTimeout { get; } = new("--probe-timeout") { Description = "How long a handshake probe waits for an answer (e.g. 500ms is 0.5s, 2s). Default 1s." };
    public Option<string?> OrphanAge { get; } = new("--orphan-age") { Description = "Unattached segments of unknown owners untouched this long are Orphaned (default 1h)." };
    public Option<int[]> IgnoreInvisible { get; } = new("--ignore-invisible") { Description = "A pid that cannot be read but is known to hold no shared memory (e.g. a sandbox's init); repeatable.", Arity = ArgumentArity.OneOrMore };

    public void AddTo(Command command)
    {
        command.Options.Add(ProbeTimeout);
        command.Options.Add(OrphanAge);
        command.Options.Add(IgnoreInvisible);
    }

    public LivenessOptions Bind(ParseResult parse) => new()
    {
        ProbeTimeout = Time(parse.GetValue(ProbeTimeout), "--probe-timeout") ?? TimeSpan.FromSeconds(1),
        OrphanAge = Time(parse.GetValue(OrphanAge), "--orphan-age") ?? TimeSpan.FromHours(1),
        IgnoreInvisible = parse.GetValue(IgnoreInvisible) ?? [],
    };

    public static TimeSpan? Time(string? text, string option)
    {
        if (text == null) return null;
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(text[..^2], System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            return TimeSpan.FromMilliseconds(ms);
        if (Duration.TryParse(text, out var t)) return t;
        throw new UsageException($"{option} {text}: not a duration (e.g. 500ms, 30s, 30m, 24h, 7d).");
    }
}
