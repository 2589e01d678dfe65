using System.Text.RegularExpressions;

namespace ShmTools.Core.Shm;

/// <summary>One line of the producer table: a name scheme and the program family it belongs to.</summary>
public sealed record ProducerRule(string Producer, IReadOnlySet<SegmentKind> Kinds, string Prefix, Regex Pattern, int SourceLine);
