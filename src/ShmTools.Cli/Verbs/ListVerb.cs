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
            var result = new ShmInventory().Scan(filter.Bind(parse) with { IgnoreInvisible = LivenessOptionsBinder.Pids(parse, ignore) });
            Warnings.Write(result);
            if (Environment.GetEnvironmentVariable("SHMTOOLS_TIMINGS") == "1" && result.Timings is { } t)
                Console.Error.WriteLine($"timings: listing {t.Listing.TotalMilliseconds:0.0} ms, /proc pass {t.ProcessPass.TotalMilliseconds:0.0} ms, assembly {t.Assembly.TotalMilliseconds:0.0} ms, total {result.Elapsed.TotalMilliseconds:0.0} ms");
            if (parse.GetValue(json))
                JsonOutput.Write(stream => SegmentJsonWriter.Write(stream, result.Segments));
            else
                Output.Stream(text => Write(text, result.Segments));
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly HashSet<int> RightAligned = [1, 2];

    public static void Write(TextWriter output, IReadOnlyList<ShmSegment> segments) => Output.WriteTable(output,
        ["KIND", "SIZE", "RSS", "OWNER", "HOLDERS", "PRODUCER", "NAME"], segments.Count, i => Row(segments[i]), RightAligned);

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
