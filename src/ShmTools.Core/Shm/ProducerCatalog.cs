using System.Globalization;
using System.Text.RegularExpressions;

namespace ShmTools.Core.Shm;

/// <summary>
/// Recognises which program made a segment from its name. The rules are data (producers.tsv,
/// embedded); <see cref="Parse"/> accepts the same format so a site can add its own.
/// A literal prefix keeps the check cheap for the many names that match nothing.
/// </summary>
public sealed class ProducerCatalog
{
    private readonly ProducerRule[] _rules;

    private readonly Func<char, bool>?[] _firstChar;

    /// <summary>Each rule's "pid" group by number (-1 for none): found by name, it costs a lookup a match.</summary>
    private readonly int[] _pidGroup;

    /// <summary>
    /// For each rule: its pid is the run of digits right after its literal prefix whenever the
    /// pattern matches (<see cref="PidFollowsPrefix"/>), so a yes or no from the pattern is enough
    /// and no Match object is made.
    /// </summary>
    private readonly bool[] _pidAfterPrefix;

    /// <summary>For each kind and ASCII first character, the rules (in their order) a name of that kind starting with it can match.</summary>
    private readonly int[][][] _byKindAndFirstChar;

    public ProducerCatalog(IReadOnlyList<ProducerRule> rules)
    {
        _rules = rules.ToArray();
        _firstChar = _rules.Select(r => r.Prefix.Length > 0 ? null : FirstCharacter(r.Pattern.ToString())).ToArray();
        _pidGroup = _rules.Select(r => r.Pattern.GroupNumberFromName("pid")).ToArray();
        _pidAfterPrefix = _rules.Select(r => PidFollowsPrefix(r.Pattern.ToString(), r.Prefix)).ToArray();
        var kinds = Enum.GetValues<SegmentKind>();
        _byKindAndFirstChar = new int[kinds.Max(k => (int)k) + 1][][];
        foreach (var kind in kinds)
        {
            var byChar = _byKindAndFirstChar[(int)kind] = new int[128][];
            for (char c = '\0'; c < 128; c++)
                byChar[c] = Enumerable.Range(0, _rules.Length).Where(i => _rules[i].Kinds.Contains(kind) && MayStartWith(i, c)).ToArray();
        }
    }

    private bool MayStartWith(int rule, char c) =>
        _rules[rule].Prefix is { Length: > 0 } prefix ? prefix[0] == c : _firstChar[rule] is not { } first || first(c);

    /// <summary>
    /// For a rule without a literal prefix: a test every match's first character passes, when the
    /// pattern is anchored and starts with a digit class or a plain letter or digit (<c>^\d{1,20}$</c>).
    /// Such rules are then skipped for the many names that start otherwise, without running the
    /// regex (interpreted, where code is compiled ahead of time, at some hundred ns a name).
    /// </summary>
    private static Func<char, bool>? FirstCharacter(string pattern)
    {
        if (!pattern.StartsWith('^') || pattern.Length < 3) return null;
        // \d is any Unicode decimal digit (as char.IsDigit), [0-9] the ASCII ones.
        if (pattern.StartsWith(@"^\d", StringComparison.Ordinal))
            return NextIsQuantifiable(pattern, 3) ? char.IsDigit : null;
        if (pattern.StartsWith("^[0-9]", StringComparison.Ordinal))
            return NextIsQuantifiable(pattern, 6) ? char.IsAsciiDigit : null;
        char c = pattern[1];
        return char.IsAsciiLetterOrDigit(c) && NextIsQuantifiable(pattern, 2) ? x => x == c : null;
    }

    /// <summary>The first token may not be optional: no ?, * or {0 after it, and no alternation anywhere.</summary>
    private static bool NextIsQuantifiable(string pattern, int after) =>
        !pattern.Contains('|') && (after >= pattern.Length || pattern[after] is not ('?' or '*') && !pattern.AsSpan(after).StartsWith("{0"));

    /// <summary>
    /// True when <paramref name="pattern"/> is <c>^</c>, then <paramref name="prefix"/> as
    /// literal text, then <c>(?&lt;pid&gt;\d+)</c>, then something that cannot begin with a digit
    /// (a literal character that is none, an optional group that begins with one and then the
    /// end, or the end), and has no alternation: then the pid group of any match is exactly the
    /// longest run of digits after the prefix, as greedy matching leaves nothing else for it.
    /// </summary>
    internal static bool PidFollowsPrefix(string pattern, string prefix)
    {
        if (prefix.Length == 0 || pattern.Contains('|') || !pattern.StartsWith('^')) return false;
        // One pid group, and nothing after it that names, balances or refers back to a group.
        const string Named = "(?<pid>";
        if (pattern.IndexOf(Named, StringComparison.Ordinal) != pattern.LastIndexOf(Named, StringComparison.Ordinal)) return false;
        int at = 1;
        foreach (char c in prefix)
        {
            if (at < pattern.Length && pattern[at] == '\\' && at + 1 < pattern.Length && IsEscapedLiteral(pattern[at + 1]) && pattern[at + 1] == c) at += 2;
            else if (at < pattern.Length && pattern[at] == c && !IsMeta(c)) at++;
            else return false;
        }
        const string Pid = @"(?<pid>\d+)";
        if (string.CompareOrdinal(pattern, at, Pid, 0, Pid.Length) != 0) return false;
        var rest = pattern.AsSpan(at + Pid.Length);
        if (rest.Contains("(?", StringComparison.Ordinal) || rest.Contains("(*", StringComparison.Ordinal) || HasBackReference(rest)) return false;
        if (rest is @"\z") return true;
        if (StartsWithNonDigitLiteral(rest)) return true;
        // (X...)?\z with X a literal that is no digit, and no group inside.
        if (rest.Length > 0 && rest[0] == '(' && rest.EndsWith(@")?\z") && rest[1..^4].IndexOfAny('(', ')') < 0)
            return StartsWithNonDigitLiteral(rest[1..^4]);
        return false;
    }

    private static bool HasBackReference(ReadOnlySpan<char> p)
    {
        for (int i = 0; i + 1 < p.Length; i++)
            if (p[i] == '\\')
            {
                if (char.IsAsciiDigit(p[i + 1]) || p[i + 1] is 'k' or 'g') return true;
                i++;
            }
        return false;
    }

    private static bool IsMeta(char c) => @"\^$.|?*+()[]{}#".Contains(c) || char.IsWhiteSpace(c);

    /// <summary>After a backslash: punctuation that stands for itself (not \d, \w, \z and the like).</summary>
    private static bool IsEscapedLiteral(char c) => char.IsAsciiLetterOrDigit(c) is false && c < 128;

    private static bool StartsWithNonDigitLiteral(ReadOnlySpan<char> p) =>
        p.Length > 0 && (p[0] == '\\' ? p.Length > 1 && IsEscapedLiteral(p[1]) : !IsMeta(p[0]) && !char.IsDigit(p[0]))
        // a quantifier after the literal could make it optional
        && (p.Length <= (p[0] == '\\' ? 2 : 1) || p[p[0] == '\\' ? 2 : 1] is not ('?' or '*' or '{'));

    public IReadOnlyList<ProducerRule> Rules => _rules;

    public static ProducerCatalog BuiltIn { get; } = LoadBuiltIn();

    public ProducerMatch? Match(string name, SegmentKind kind)
    {
        if (name.Length > 0 && name[0] < 128 && (uint)kind < (uint)_byKindAndFirstChar.Length && _byKindAndFirstChar[(int)kind] is { } byChar)
        {
            // Indexed by kind and first character: only the prefix is left to check.
            foreach (int i in byChar[name[0]])
                if ((_rules[i].Prefix.Length == 0 || name.StartsWith(_rules[i].Prefix, StringComparison.Ordinal)) && Run(i, name) is { } found) return found;
            return null;
        }
        for (int i = 0; i < _rules.Length; i++)
            if (Match(i, name, kind) is { } found) return found;
        return null;
    }

    /// <summary>Rule <paramref name="i"/>'s match of the name, or null.</summary>
    private ProducerMatch? Match(int i, string name, SegmentKind kind)
    {
        var rule = _rules[i];
        if (rule.Prefix.Length > 0 && !name.StartsWith(rule.Prefix, StringComparison.Ordinal)) return null;
        if (_firstChar[i] is { } first && (name.Length == 0 || !first(name[0]))) return null;
        if (!rule.Kinds.Contains(kind)) return null;
        return Run(i, name);
    }

    /// <summary>Rule <paramref name="i"/>'s pattern over the name (its prefix, first character and kind already passed).</summary>
    private ProducerMatch? Run(int i, string name)
    {
        var rule = _rules[i];
        int pidGroup = _pidGroup[i];
        System.Text.RegularExpressions.Match? m = null;
        try
        {
            // Without a pid to read, the yes or no is enough (and makes no Match object).
            if (pidGroup < 0) return rule.Pattern.IsMatch(name) ? new ProducerMatch(rule.Producer, null) : null;
            if (_pidAfterPrefix[i]) return rule.Pattern.IsMatch(name) ? new ProducerMatch(rule.Producer, PidAt(name, rule.Prefix.Length)) : null;
            m = rule.Pattern.Match(name);
        }
        catch (RegexMatchTimeoutException)
        {
            // The timeout is wall-clock time: on a loaded host (or across a GC pause) even a
            // linear pattern can overrun it. An unrecognised name is the safe answer (no
            // creator pid, so never Stale by its owner); failing the whole scan is not.
            return null;
        }
        if (!m.Success) return null;
        var g = m.Groups[pidGroup];
        return new ProducerMatch(rule.Producer, g.Success ? Pid(g.ValueSpan) : null);
    }

    /// <summary>The pid in the run of digits (as <c>\d</c> takes them) from <paramref name="at"/>.</summary>
    private static int? PidAt(string name, int at)
    {
        int end = at;
        while (end < name.Length && char.IsDigit(name[end])) end++;
        return Pid(name.AsSpan(at, end - at));
    }

    private static int? Pid(ReadOnlySpan<char> digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : null;

    /// <summary>Parses the tab-separated rule format; errors name the source and line.</summary>
    public static ProducerCatalog Parse(TextReader reader, string sourceName)
    {
        var rules = new List<ProducerRule>();
        string? line;
        int n = 0;
        while ((line = reader.ReadLine()) != null)
        {
            n++;
            if (line.Length == 0 || line[0] == '#') continue;
            var cols = line.Split('\t');
            if (cols.Length != 4)
                throw new FormatException($"{sourceName}:{n}: expected 4 tab-separated columns (producer, kinds, prefix, regex), found {cols.Length}.");
            var kinds = new HashSet<SegmentKind>();
            foreach (var k in cols[1].Split(','))
            {
                if (k == "*") { kinds.UnionWith(Enum.GetValues<SegmentKind>()); continue; }
                if (!Enum.TryParse<SegmentKind>(k, ignoreCase: true, out var kind))
                    throw new FormatException($"{sourceName}:{n}: unknown kind '{k}' (posix, semaphore, deleted, sysv or *).");
                kinds.Add(kind);
            }
            Regex regex;
            try
            {
                regex = new Regex(EndMeansEnd(cols[3]), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"{sourceName}:{n}: bad regular expression: {ex.Message}", ex);
            }
            rules.Add(new ProducerRule(cols[0], kinds, cols[2] == "-" ? "" : cols[2], regex, n));
        }
        return new ProducerCatalog(rules);
    }

    /// <summary>
    /// A rule's <c>$</c> (outside a character class, not escaped) as <c>\z</c>: in .NET a <c>$</c>
    /// also matches before a final newline, so <c>^psm_[0-9a-f]{8}$</c> would claim a name that
    /// ends in one, which no producer makes.
    /// </summary>
    internal static string EndMeansEnd(string pattern)
    {
        var text = new System.Text.StringBuilder(pattern.Length + 4);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) { text.Append(c).Append(pattern[++i]); continue; }
            if (inClass)
            {
                if (c == ']') inClass = false;
                text.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                text.Append(c);
                // A ']' first in a class (after an optional '^') is a member, not its end.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^') text.Append(pattern[++i]);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']') text.Append(pattern[++i]);
                continue;
            }
            if (c == '$') { text.Append("\\z"); continue; }
            text.Append(c);
        }
        return text.ToString();
    }

    private static ProducerCatalog LoadBuiltIn()
    {
        using var stream = typeof(ProducerCatalog).Assembly.GetManifestResourceStream("ShmTools.Core.Shm.producers.tsv")
            ?? throw new InvalidOperationException("The built-in producer table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader, "producers.tsv");
    }
}
