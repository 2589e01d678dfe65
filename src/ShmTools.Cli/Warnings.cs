using ShmTools.Core.Shm;

namespace ShmTools.Cli;

/// <summary>Everything a scan wants a person to know goes to stderr, never stdout.</summary>
public static class Warnings
{
    public static void Write(InventoryResult result)
    {
        foreach (var w in result.Warnings) Console.Error.WriteLine("warning: " + w);
        if (result.Partial)
        {
            var sample = string.Join("; ", result.ProcessProblems.Take(3).Select(p => p.Message));
            Console.Error.WriteLine($"warning: {result.ProcessProblems.Count} process(es) could not be read, so holders may be missing ({sample}{(result.ProcessProblems.Count > 3 ? "; ..." : "")}). Run as root for a complete view.");
        }
        if (result.IgnoredEntries.Count > 0)
            Console.Error.WriteLine($"warning: ignored {result.IgnoredEntries.Count} non-regular entr{(result.IgnoredEntries.Count == 1 ? "y" : "ies")} in /dev/shm (never followed): " +
                string.Join(", ", result.IgnoredEntries.Take(5).Select(e => $"{e.Path} ({e.Type.ToString().ToLowerInvariant()})")));
    }
}
