using ShmTools.Core.Text;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>Everything a scan wants a person to know goes to stderr, never stdout.</summary>
public static class Warnings
{
    /// <summary>One thing the engine says as it happens (a wait for another check's turn, say).</summary>
    public static void Write(string warning) => Console.Error.WriteLine("warning: " + TerminalText.Safe(warning));

    public static void Write(InventoryResult result)
    {
        foreach (var w in result.Warnings) Console.Error.WriteLine("warning: " + TerminalText.Safe(w));
        if (result.VisibilityWarning is { } visibility) Console.Error.WriteLine("warning: " + TerminalText.Safe(visibility));
        if (result.IgnoredEntries.Count > 0)
            Console.Error.WriteLine($"warning: ignored {result.IgnoredEntries.Count} non-regular entr{(result.IgnoredEntries.Count == 1 ? "y" : "ies")} in /dev/shm (never followed): " +
                string.Join(", ", result.IgnoredEntries.Take(5).Select(e => $"{TerminalText.Name(e.Path)} ({e.Type.ToString().ToLowerInvariant()})")));
    }
}
