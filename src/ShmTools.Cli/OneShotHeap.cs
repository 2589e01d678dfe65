using System.CommandLine;

namespace ShmTools.Cli;

/// <summary>
/// A one-shot verb (everything but `serve`) lives for one scan and exits: its objects all live
/// until the output is written, so each collection during the run would only copy survivors.
/// The first <see cref="Budget"/> bytes (all a scan of some ten thousand segments needs) are allocated without collections; past that the
/// collector runs as usual, so memory stays bounded on the largest hosts.
/// </summary>
public static class OneShotHeap
{
    public const long Budget = 32L << 20;

    public static void Reserve(ParseResult parse)
    {
        if (parse.CommandResult.Command.Name == "serve") return;
        try
        {
            GC.TryStartNoGCRegion(Budget);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            // The runtime could not reserve that much: collect as usual.
        }
    }
}
