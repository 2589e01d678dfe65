using ShmTools.Core.Text;
using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>Everything a scan wants a person to know goes to stderr, never stdout.</summary>
public static class Warnings
{
    private static readonly ToldWarnings Told = new();

    /// <summary>One thing the engine says as it happens (a wait for another check's turn, say): written now, and left out of the lists written at the end, which hold it too.</summary>
    public static void Tell(string warning)
    {
        Told.Add(warning);
        Write(warning);
    }

    public static void Write(string warning) => Console.Error.WriteLine("warning: " + TerminalText.Safe(warning));

    /// <summary>The warnings of a list written at the end, but those told as they happened.</summary>
    public static void WriteUntold(IEnumerable<string> warnings)
    {
        foreach (var w in Told.Untold(warnings)) Write(w);
    }

    public static void Write(InventoryResult result)
    {
        WriteUntold(result.Warnings);
        if (result.VisibilityWarning is { } visibility) Write(visibility);
        if (result.IgnoredEntriesWarning is { } ignored) Write(ignored);
    }
}
