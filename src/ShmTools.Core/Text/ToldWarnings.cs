namespace ShmTools.Core.Text;

/// <summary>
/// Warnings a front end told as they happened (a wait for another check's turn), kept so that a
/// list it writes at the end, which holds them too, leaves them out: each is told once. Counted,
/// so a second wait with the same words, told again, is left out again only once.
/// </summary>
public sealed class ToldWarnings
{
    private readonly Dictionary<string, int> _told = new(StringComparer.Ordinal);

    /// <summary>
    /// The engine's side: each word kept in <paramref name="warnings"/> (the result's list) and,
    /// when a front end lent a listener, told to it as it comes.
    /// </summary>
    public static Action<string> KeptIn(List<string> warnings, Action<string>? listener) =>
        listener == null ? warnings.Add : w => { warnings.Add(w); listener(w); };

    /// <summary>Notes <paramref name="warning"/> as told.</summary>
    public void Add(string warning)
    {
        lock (_told) _told[warning] = _told.GetValueOrDefault(warning) + 1;
    }

    /// <summary>The warnings of <paramref name="all"/> that were not told (each told one leaves one out).</summary>
    public List<string> Untold(IEnumerable<string> all)
    {
        var untold = new List<string>();
        lock (_told)
            foreach (var w in all)
            {
                if (_told.TryGetValue(w, out int n) && n > 0) _told[w] = n - 1;
                else untold.Add(w);
            }
        return untold;
    }
}
