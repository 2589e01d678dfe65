using System.Text;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// The private names a segment is parked under while it is being removed:
/// <c>.shmtools-removing-&lt;random&gt;-&lt;original name&gt;</c> (the original is left out when the
/// whole would exceed NAME_MAX). No program opens such a name by its own name, and a segment left
/// under one (its name was re-created while it was parked) is recognisable in every later scan.
/// </summary>
public static class QuarantineNames
{
    public const string Prefix = ".shmtools-removing-";
    private const int NameMax = 255;

    /// <remarks>
    /// The random part need not be secret: the rename into it refuses a name that exists and
    /// then tries another. So it comes from <see cref="Random.Shared"/>, which needs no
    /// cryptographic source (a container without /dev/urandom made Guid.NewGuid throw mid-cleanup).
    /// </remarks>
    public static string For(string original)
    {
        string head = Prefix + Random.Shared.NextInt64(1L << 48).ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
        string full = head + "-" + original;
        return Encoding.UTF8.GetByteCount(full) <= NameMax ? full : head;
    }

    /// <summary>
    /// Whether the name is one <see cref="For"/> makes: the prefix, 12 lowercase hex digits, then
    /// the end or a dash and the original name. Anything else that merely starts with the prefix
    /// (any user can make such a file in /dev/shm) is an ordinary segment, judged like any other,
    /// not a parked one to report as stranded on every run.
    /// </summary>
    public static bool IsQuarantined(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name.Length < Prefix.Length + 12) return false;
        var random = name.AsSpan(Prefix.Length, 12);
        if (random.IndexOfAnyExcept("0123456789abcdef") >= 0) return false;
        return name.Length == Prefix.Length + 12 || name[Prefix.Length + 12] == '-';
    }

    /// <summary>The original name a quarantine name carries, or null when it carries none.</summary>
    public static string? OriginalOf(string name)
    {
        if (!IsQuarantined(name)) return null;
        int dash = Prefix.Length + 12;
        return name.Length > dash + 1 && name[dash] == '-' ? name[(dash + 1)..] : null;
    }
}
