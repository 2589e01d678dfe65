using System.CommandLine;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary>The options list, check and clean share, bound to a <see cref="ShmQuery"/>.</summary>
public sealed class SegmentFilterOptions
{
    public Option<string[]> Name { get; } = new("--name") { Description = "Only segments whose name matches this wildcard (repeatable; case-sensitive).", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
    public Option<string[]> Kind { get; } = new("--kind") { Description = $"Only this kind: {EnumWords.List<SegmentKind>()} (repeatable).", Arity = ArgumentArity.OneOrMore };
    public Option<string[]> Owner { get; } = new("--owner") { Description = "Only segments owned by this user name or uid (repeatable).", Arity = ArgumentArity.OneOrMore };
    public Option<string?> MinSize { get; } = new("--min-size") { Description = "Only segments at least this big (bytes, or 64K, 1M, 2G)." };
    public Option<int[]> Pid { get; } = new("--pid") { Description = "Only segments held by this process (repeatable).", Arity = ArgumentArity.OneOrMore };
    public Option<bool> AllNamespaces { get; } = new("--all-namespaces") { Description = "Also the /dev/shm of other mount namespaces (containers), through /proc/PID/root." };

    public void AddTo(Command command)
    {
        command.Options.Add(Name);
        command.Options.Add(Kind);
        command.Options.Add(Owner);
        command.Options.Add(MinSize);
        command.Options.Add(Pid);
        command.Options.Add(AllNamespaces);
    }

    public ShmQuery Bind(ParseResult parse)
    {
        var kinds = new List<SegmentKind>();
        foreach (var k in parse.GetValue(Kind) ?? [])
        {
            if (!EnumWords.TryParse<SegmentKind>(k, out var kind))
                throw new UsageException($"--kind {k}: not a segment kind ({EnumWords.List<SegmentKind>()}).");
            kinds.Add(kind);
        }
        long min = 0;
        var minText = parse.GetValue(MinSize);
        if (minText != null && !ByteSize.TryParse(minText, out min))
            throw new UsageException($"--min-size {minText}: not a size (e.g. 4096, 64K, 1M, 2G).");
        return new ShmQuery
        {
            Names = parse.GetValue(Name) ?? [],
            Kinds = kinds,
            Owners = parse.GetValue(Owner) ?? [],
            MinimumSize = min,
            ProcessIds = (parse.GetValue(Pid) ?? []).Select(p => ShmQuery.ProcessIdProblem(p) is { } why ? throw new UsageException($"--pid: {why}.") : p).ToList(),
            AllNamespaces = parse.GetValue(AllNamespaces),
        };
    }
}
