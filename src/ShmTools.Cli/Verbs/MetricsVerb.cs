using System.CommandLine;
using ShmTools.Core.Metrics;
using ShmTools.Core.Outputs;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools metrics</c>: one scan as Prometheus text, to stdout or atomically to a file (node_exporter's textfile collector).</summary>
public static class MetricsVerb
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file atomically (temporary file, then rename), e.g. /var/lib/node_exporter/textfile/shmtools.prom." };
        var options = new MetricsOptionsBinder();
        var command = new Command("metrics", "Print one scan's metrics in the Prometheus text exposition format.");
        command.Options.Add(output);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(output) is { } target && AtomicTextFile.Problem(target) is { } problem)
                throw new UsageException("--output " + problem);
            var snapshot = new MetricsCollector(options.Bind(parse, Warnings.Tell)).Collect();
            Warnings.WriteUntold(snapshot.Usage.Warnings);
            if (parse.GetValue(output) is { } path)
            {
                try
                {
                    AtomicTextFile.Write(path, snapshot.Text);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"shmtools: could not write {path}: {ex.Message}");
                    return ExitCodes.EnvironmentCannot;
                }
            }
            else
            {
                Console.Out.Write(snapshot.Text);
                Console.Out.Flush();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
