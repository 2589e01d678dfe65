using System.Collections.Concurrent;
using System.Text;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Gpu;
using ShmTools.Core.Liveness;
using ShmTools.Core.Planning.Plan;

namespace ShmTools.Core.Text;

/// <summary>
/// The one mapping between enum values and the words users read and type: on the command line,
/// in JSON and in the audit log. Verdicts and owner states keep their names (Live, Stale);
/// values users select by are kebab-case (would-remove, greedy-by-size, nvidia-smi); kinds are
/// one lower-case word (posix, sysv, locklease). Parsing accepts the word or the value's name,
/// in any case, and never a number.
/// </summary>
public static class EnumWords
{
    private static readonly ConcurrentDictionary<Type, object> Cache = new();

    /// <summary>The word for a value.</summary>
    public static string Word<T>(T value) where T : struct, Enum => Table<T>().Words[value];

    /// <summary>Every word of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Table<T>().Ordered;

    /// <summary>The words as a list for messages: "posix, sysv, semaphore, deleted".</summary>
    public static string List<T>() where T : struct, Enum => string.Join(", ", All<T>());

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Table<T>().Values.TryGetValue(text?.Trim() ?? "", out value);

    /// <summary>Parses or throws a <see cref="FormatException"/> that lists the valid words.</summary>
    public static T Parse<T>(string? text) where T : struct, Enum =>
        TryParse<T>(text, out var v) ? v : throw new FormatException($"'{text}': not one of {List<T>()}.");

    /// <summary>The same parse for an enum type known only at run time (e.g. a parameter's type).</summary>
    public static bool TryParse(Type enumType, string? text, out object? value)
    {
        value = null;
        var wanted = text?.Trim() ?? "";
        foreach (var (name, word, v) in Entries(enumType))
        {
            if (!string.Equals(word, wanted, StringComparison.OrdinalIgnoreCase) && !string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase)) continue;
            value = v;
            return true;
        }
        return false;
    }

    /// <summary>The word list of an enum type known only at run time.</summary>
    public static string List(Type enumType) => string.Join(", ", Entries(enumType).Select(e => e.Word).Distinct());

    private static IEnumerable<(string Name, string Word, object Value)> Entries(Type enumType)
    {
        if (!enumType.IsEnum) throw new ArgumentException($"{enumType} is not an enum type.", nameof(enumType));
        var style = StyleOf(enumType);
        foreach (var name in Enum.GetNames(enumType))
            yield return (name, WordOf(name, style), Enum.Parse(enumType, name));
    }

    private static string WordOf(string name, WordStyle style) => style switch
    {
        WordStyle.Name => name,
        WordStyle.Kebab => Kebab(name),
        _ => name.ToLowerInvariant(),
    };

    private sealed class WordTable<T> where T : struct, Enum
    {
        public readonly Dictionary<T, string> Words = new();
        public readonly Dictionary<string, T> Values = new(StringComparer.OrdinalIgnoreCase);
        public readonly List<string> Ordered = new();
    }

    private static WordTable<T> Table<T>() where T : struct, Enum =>
        (WordTable<T>)Cache.GetOrAdd(typeof(T), static _ =>
        {
            var table = new WordTable<T>();
            var style = StyleOf(typeof(T));
            foreach (var v in Enum.GetValues<T>())
            {
                var name = v.ToString();
                var word = WordOf(name, style);
                if (table.Words.TryAdd(v, word)) table.Ordered.Add(word);
                table.Values.TryAdd(word, v);
                table.Values.TryAdd(name, v);
            }
            return table;
        });

    private enum WordStyle { Lower, Kebab, Name }

    private static WordStyle StyleOf(Type t) =>
        t == typeof(Verdict) || t == typeof(OwnerState) ? WordStyle.Name
        : t == typeof(CleanupAction) || t == typeof(PlanStrategy) || t == typeof(GpuSource) ? WordStyle.Kebab
        : WordStyle.Lower;

    private static string Kebab(string name)
    {
        var b = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) b.Append('-');
            b.Append(char.ToLowerInvariant(name[i]));
        }
        return b.ToString();
    }
}
