using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ShmTools.Core.Text;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Metrics;

/// <summary>
/// What a running exporter says in its log about its scans: a warning once when it begins and once
/// when it is over, never again at every scrape (a DaemonSet's log read by an admin).
/// </summary>
public sealed class ServeLogTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Serve_logs_a_scan_warning_when_it_begins_and_when_it_is_over_not_at_every_scrape()
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        using var exporter = PrivateShm.Start("4m", "mkfifo /dev/shm/pipe_a; head -c 4096 /dev/zero > /dev/shm/plain",
            "dotnet", ShmToolsCli.DllPath, "serve", "--listen", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "--min-interval", "100ms", "--no-gpu");
        string url = $"http://127.0.0.1:{port}/metrics";
        async Task Scrapes(int n)
        {
            for (int i = 0; i < n; i++)
            {
                await Task.Delay(150);
                Assert.Contains("shmtools_segments", await Http.GetStringAsync(url));
            }
        }
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await Http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until && !exporter.HasExited)
            {
            }
            await Task.Delay(100);
        }
        await Scrapes(4);
        int Count(string pattern) => Regex.Matches(exporter.Stderr, pattern, RegexOptions.Multiline).Count;
        const string Ignored = @"^shmtools serve: warning: ignored 1 non-regular entry in /dev/shm \(never followed\): /dev/shm/pipe_a \(fifo\)$";
        const string Over = @"^shmtools serve: no longer: ignored 1 non-regular entry in /dev/shm \(never followed\): /dev/shm/pipe_a \(fifo\)$";
        Assert.True(Count(Ignored) == 1, exporter.Stderr);
        Assert.True(Count(Over) == 0, exporter.Stderr);

        // Gone from the exporter's /dev/shm (reached through its root): said once, and said no more.
        File.Delete($"/proc/{exporter.Pid}/root/dev/shm/pipe_a");
        await Scrapes(4);
        Assert.True(Count(Ignored) == 1, exporter.Stderr);
        Assert.True(Count(Over) == 1, exporter.Stderr);
        // The pid-namespace or unreadable-process limits of this host's scans, when there are any, are said once too.
        Assert.True(Count("^shmtools serve: warning: .*(pid namespace|could not be read)") <= 1, exporter.Stderr);
    }

    [Fact]
    public void Changes_are_the_warnings_begun_and_those_over_each_once_in_order()
    {
        var changes = new WarningChanges();
        Expect(changes.Next(["a", "b", "a"]), ["a", "b"], []);
        Expect(changes.Next(["b", "a"]), [], []);
        Expect(changes.Next(["b", "c"]), ["c"], ["a"]);
        Expect(changes.Next([]), [], ["b", "c"]);
        Expect(changes.Next(["b"]), ["b"], []);
        // Only the numbers changed (a count, a pid): the same warning, not said again.
        Expect(changes.Next(["3 process(es) could not be read (/proc/12/maps)"]), ["3 process(es) could not be read (/proc/12/maps)"], ["b"]);
        Expect(changes.Next(["17 process(es) could not be read (/proc/9/maps)"]), [], []);
        // Over: said in the words of the last scan that had it.
        Expect(changes.Next(["x"]), ["x"], ["17 process(es) could not be read (/proc/9/maps)"]);
    }

    private static void Expect((List<string> Ended, List<string> Begun) got, string[] begun, string[] ended)
    {
        Assert.Equal(begun, got.Begun);
        Assert.Equal(ended, got.Ended);
    }
}
