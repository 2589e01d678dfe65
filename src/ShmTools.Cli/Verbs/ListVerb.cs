using System.CommandLine;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools list</c>: the twin of Get-ShmSegment.</summary>
public static class ListVerb
{
    public static Command Create(Option<bool> json)
    {
        var filter = new SegmentFilterOptions();
        var ignore = LivenessOptionsBinder.IgnoreInvisibleOption();
        var command = new Command("list", "List shared-memory segments with the processes holding them.");
        filter.AddTo(command);
        command.Options.Add(ignore);
        command.SetAction(parse =>
        {
            // The segments are made batch by batch while they are written: a host's whole list is never held.
            var scan = new ShmInventory().Begin(filter.Bind(parse) with { IgnoreInvisible = LivenessOptionsBinder.Pids(parse, ignore) });
            Warnings.Write(scan.Facts);
            if (parse.GetValue(json))
                JsonOutput.Write(stream => SegmentJsonWriter.Write(stream, scan));
            else
                Output.Stream(text => Output.WriteStreamedTable(text, Headers, scan.Segments().Select(Row), RightAligned));
            if (Environment.GetEnvironmentVariable("SHMTOOLS_TIMINGS") == "1")
                Console.Error.WriteLine($"timings: listing {scan.ListingTime.TotalMilliseconds:0.0} ms, /proc pass {scan.ProcessPassTime.TotalMilliseconds:0.0} ms, " +
                    $"scan {scan.Facts.Elapsed.TotalMilliseconds:0.0} ms, with output {scan.Elapsed.TotalMilliseconds:0.0} ms");
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly HashSet<int> RightAligned = [1, 2];

    private static readonly string[] Headers = ["KIND", "SIZE", "RSS", "OWNER", "HOLDERS", "PRODUCER", "NAME"];

    private static IReadOnlyList<string> Row(ShmSegment s) =>
        [
            EnumWords.Word(s.Kind),
            ByteSize.Format(s.SizeBytes),
            ByteSize.Format(s.ResidentBytes),
            s.Owner ?? "?",
            Holders(s),
            s.Producer ?? "-",
            s.Namespace == null ? s.DisplayName : s.DisplayName + "  [" + s.Namespace + "]",
        ];

    private static string Holders(ShmSegment s)
    {
        if (s.AttachCount == null && s.Attachments.Count == 0) return "-";
        if (s.AttachCount == null && s.Attachments.Count == 1) return s.Attachments[0].Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pids = s.Attachments.Select(a => a.Pid).Distinct().ToList();
        string text = pids.Count == 0 ? "-" : string.Join(",", pids.Take(3)) + (pids.Count > 3 ? $",+{pids.Count - 3}" : "");
        if (s.AttachCount is { } n && n != pids.Count) text += $" (nattch {n})";
        return text;
    }
}
