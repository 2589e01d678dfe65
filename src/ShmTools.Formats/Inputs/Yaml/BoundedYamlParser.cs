using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ShmTools.Formats.Inputs.Yaml;

/// <summary>
/// A YAML event stream that refuses what no hand-written profile or graph needs and what would
/// make loading or walking the document explode: nesting deeper than <see cref="MaxDepth"/>, and
/// aliases that together stand for more than <see cref="MaxAliasedNodes"/> nodes (every alias
/// counted as the whole node it names, aliases inside it included): the "billion laughs" shape,
/// whether its aliases are used as values or as mapping keys. Files without aliases are bounded
/// by their size alone. It stops at the first event over a bound, so a hostile file costs
/// no more than reading up to that point. Refusals are <see cref="YamlException"/>s with the position.
/// </summary>
public sealed class BoundedYamlParser(IParser inner) : IParser
{
    public const int MaxDepth = 64;
    public const long MaxAliasedNodes = 1_000_000;

    private readonly Dictionary<string, long> _expandedSize = new(StringComparer.Ordinal);
    private readonly Stack<(string? Anchor, long StartedAt)> _open = new();
    private long _expanded;
    private long _aliased;

    public BoundedYamlParser(TextReader reader) : this(new Parser(reader)) { }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext()) return false;
        switch (inner.Current)
        {
            case AnchorAlias alias:
                long size = _expandedSize.TryGetValue(alias.Value.Value, out var s) ? s : 1;
                _aliased += size;
                if (_aliased > MaxAliasedNodes)
                    throw new YamlException(alias.Start, alias.End, $"its aliases stand for more than {MaxAliasedNodes} nodes (an alias bomb?)");
                _expanded += size;
                break;
            case MappingStart or SequenceStart:
                var start = (NodeEvent)inner.Current;
                _expanded++;
                _open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, _expanded));
                if (_open.Count > MaxDepth)
                    throw new YamlException(start.Start, start.End, $"nested deeper than {MaxDepth} levels");
                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                var (anchor, startedAt) = _open.Pop();
                if (anchor != null) _expandedSize[anchor] = _expanded - startedAt + 1;
                break;
            case Scalar scalar:
                _expanded++;
                if (!scalar.Anchor.IsEmpty) _expandedSize[scalar.Anchor.Value] = 1;
                break;
        }
        return true;
    }
}
