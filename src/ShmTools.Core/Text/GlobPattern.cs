namespace ShmTools.Core.Text;

/// <summary>
/// A shell-style wildcard: <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, <c>[!a]</c>, and <c>\</c>
/// or a backtick to take the next character literally. Matching is case-sensitive, as names on
/// Linux are: a cleanup selected by name must not widen to names that only differ in case.
/// </summary>
public sealed class GlobPattern
{
    private readonly string _pattern;
    public GlobPattern(string pattern)
    {
        _pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
        HasWildcards = FindsWildcard(pattern);
    }

    /// <summary>
    /// True when the pattern can match more than one name: a <c>*</c>, a <c>?</c> or a closed
    /// <c>[...]</c> class, or an escape (the name it asks for is then not the text as typed). An
    /// unclosed <c>[</c> is a literal, so <c>x[</c> asks for the one name <c>x[</c>.
    /// </summary>
    public bool HasWildcards { get; }

    private static bool FindsWildcard(string p)
    {
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c is '*' or '?') return true;
            if ((c == '\\' || c == '`') && i + 1 < p.Length) return true;
            if (c == '[' && TryClass(p, i, '\0', out _, out _)) return true;
        }
        return false;
    }

    /// <summary>
    /// The names asked for without wildcards that none of <paramref name="found"/> has: the
    /// ones to report as not found. A wildcard that matches nothing is not an error.
    /// </summary>
    public static IReadOnlyList<string> MissingExactNames(IEnumerable<string> asked, IEnumerable<string> found)
    {
        var exact = asked.Where(n => !new GlobPattern(n).HasWildcards).Distinct(StringComparer.Ordinal).ToList();
        if (exact.Count == 0) return [];
        var seen = found.ToHashSet(StringComparer.Ordinal);
        return exact.Where(n => !seen.Contains(n)).ToList();
    }

    public override string ToString() => _pattern;

    public bool IsMatch(string text) => Match(_pattern.AsSpan(), text.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        int pi = 0, si = 0, starP = -1, starS = -1;
        while (si < s.Length)
        {
            if (pi < p.Length)
            {
                char c = p[pi];
                if (c == '*') { starP = ++pi; starS = si; continue; }
                if (c == '?') { pi++; si++; continue; }
                if (c == '[' && TryClass(p, pi, s[si], out int next, out bool ok))
                {
                    if (ok) { pi = next; si++; continue; }
                }
                else
                {
                    if ((c == '\\' || c == '`') && pi + 1 < p.Length) { pi++; c = p[pi]; }
                    if (c == s[si]) { pi++; si++; continue; }
                }
            }
            if (starP < 0) return false;
            pi = starP;
            si = ++starS;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    /// <summary>Evaluates a [...] class at <paramref name="start"/>; false if it is not a closed class.</summary>
    private static bool TryClass(ReadOnlySpan<char> p, int start, char ch, out int next, out bool matched)
    {
        int i = start + 1;
        bool negate = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negate) i++;
        bool any = false;
        bool first = true;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            char lo = p[i];
            char hi = lo;
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']') { hi = p[i + 2]; i += 2; }
            if (ch >= lo && ch <= hi) any = true;
            i++;
        }
        if (i >= p.Length) { next = start; matched = false; return false; }
        next = i + 1;
        matched = any != negate;
        return true;
    }
}
