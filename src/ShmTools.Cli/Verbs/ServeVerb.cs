using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using ShmTools.Core.Metrics;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools serve</c>: a Prometheus exporter on /metrics, scanning on scrape at most once per interval.</summary>
public static class ServeVerb
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to listen on (default 127.0.0.1:9464; 0.0.0.0:9464 for a DaemonSet).", DefaultValueFactory = _ => "127.0.0.1:9464" };
        var interval = new Option<string?>("--min-interval") { Description = "Scrapes within this time of the last scan get its result (default 10s)." };
        var options = new MetricsOptionsBinder();
        var command = new Command("serve", "Serve metrics for Prometheus on /metrics (and /healthz); scans on scrape, at most once per --min-interval.");
        command.Options.Add(listen);
        command.Options.Add(interval);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            string text = parse.GetValue(listen)!;
            if (!IPEndPoint.TryParse(text, out var endPoint) || text.IndexOf(':') < 0)
                throw new UsageException($"--listen {text}: not ADDRESS:PORT (e.g. 127.0.0.1:9464, [::1]:9464).");
            var minimum = LivenessOptionsBinder.Time(parse.GetValue(interval), "--min-interval") ?? TimeSpan.FromSeconds(10);
            void Log(string m) => Console.Error.WriteLine("shmtools serve: " + m);
            // A wait for another check's turn is logged as it begins; the rest of a scan's warnings
            // when they begin and when they are over, not at every scrape.
            var told = new ToldWarnings();
            var changes = new WarningChanges();
            var collector = new MetricsCollector(options.Bind(parse, m =>
            {
                told.Add(m);
                Log("warning: " + TerminalText.Safe(m));
            }));
            MetricsSnapshot Collect()
            {
                var snapshot = collector.Collect();
                var (ended, begun) = changes.Next(told.Untold(snapshot.Usage.Warnings));
                foreach (var w in ended) Log("no longer: " + TerminalText.Safe(w));
                foreach (var w in begun) Log("warning: " + TerminalText.Safe(w));
                return snapshot;
            }
            var cache = new ScrapeCache(Collect, minimum);
            MetricsHttpServer server;
            try
            {
                server = new MetricsHttpServer(endPoint, cache, log: Log);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                Console.Error.WriteLine($"shmtools: cannot listen on {text}: {ex.Message}");
                return ExitCodes.EnvironmentCannot;
            }
            using (server)
            using (var stop = new CancellationTokenSource())
            {
                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
                Console.Error.WriteLine($"shmtools serve: listening on http://{server.LocalEndPoint}/metrics (scans at most every {minimum.TotalSeconds:0.###} s)");
                server.RunAsync(stop.Token).GetAwaiter().GetResult();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
