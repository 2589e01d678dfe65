using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ShmTools.Core.Capacity;
using ShmTools.Core.Metrics;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Metrics;

/// <summary>
/// The exporter's listener under hostile clients: slowloris, huge heads, garbage, unknown paths
/// and methods, more connections than it serves, and a scrape storm. Each case must be answered
/// or dropped quickly, and a normal scrape must still work afterwards.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class ExporterListenerTests : IAsyncDisposable
{
    private readonly ScrapeCache _cache;
    private readonly MetricsHttpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _collections;

    public ExporterListenerTests()
    {
        // The real collector over the test's /dev/shm, without GPUs; counted to see the cache work.
        var collector = new MetricsCollector(new MetricsOptions { Gpu = false, Usage = new UsageQuery { Liveness = TestHost.Liveness() } });
        _cache = new ScrapeCache(() => { Interlocked.Increment(ref _collections); return collector.Collect(); }, TimeSpan.FromSeconds(30));
        _server = new MetricsHttpServer(new IPEndPoint(IPAddress.Loopback, 0), _cache,
            new ServerLimits { HeaderTimeout = TimeSpan.FromSeconds(1), MaxHeaderBytes = 4096, MaxConnections = 8 });
        _running = _server.RunAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
        _server.Dispose();
    }

    private int Port => _server.LocalEndPoint.Port;

    private async Task<Socket> Connect(int? port = null)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(IPAddress.Loopback, port ?? Port);
        return s;
    }

    /// <summary>Sends raw bytes and reads until the server closes; returns what it said.</summary>
    private async Task<string> Raw(string request, TimeSpan? timeout = null, int? port = null)
    {
        using var s = await Connect(port);
        await s.SendAsync(Encoding.ASCII.GetBytes(request));
        return await ReadToClose(s, timeout ?? TimeSpan.FromSeconds(20));
    }

    private static async Task<string> ReadToClose(Socket s, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buf = new byte[1 << 16];
        var all = new MemoryStream();
        while (true)
        {
            int n;
            try
            {
                n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                break; // reset: the server hung up
            }
            if (n == 0) break;
            all.Write(buf, 0, n);
        }
        return Encoding.UTF8.GetString(all.ToArray());
    }

    private static string Status(string response) => response.Length == 0 ? "" : response[..response.IndexOf('\r')];

    [Fact]
    public async Task Metrics_healthz_and_unknown_paths()
    {
        var metrics = await Raw("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", Status(metrics));
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8", metrics);
        Assert.Contains("\nshmtools_stale_bytes ", metrics);
        string body = metrics[(metrics.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        int length = int.Parse(metrics.Split("\r\n").Single(l => l.StartsWith("Content-Length: ")).Split(' ')[1]);
        Assert.Equal(length, Encoding.UTF8.GetByteCount(body));

        Assert.Equal("HTTP/1.1 200 OK", Status(await Raw("GET /healthz HTTP/1.0\r\n\r\n")));
        Assert.Equal("HTTP/1.1 404 Not Found", Status(await Raw("GET /etc/passwd HTTP/1.1\r\n\r\n")));
        Assert.Equal("HTTP/1.1 404 Not Found", Status(await Raw("GET /metrics/../../x HTTP/1.1\r\n\r\n")));
        Assert.Equal("HTTP/1.1 200 OK", Status(await Raw("GET /metrics?x=%00%ff HTTP/1.1\r\n\r\n")));
        var head = await Raw("HEAD /metrics HTTP/1.1\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", Status(head));
        Assert.EndsWith("\r\n\r\n", head);
        Assert.StartsWith("HTTP/1.1 405", await Raw("POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"));
        Assert.StartsWith("HTTP/1.1 405", await Raw("DELETE / HTTP/1.1\r\n\r\n"));
    }

    [Fact]
    public async Task Garbage_and_binary_requests_get_400()
    {
        Assert.StartsWith("HTTP/1.1 400", await Raw("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 400", await Raw("GET\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 400", await Raw("GET metrics HTTP/1.1\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 400", await Raw("GET /metrics SPDY/3\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 400", await Raw("GET  /metrics  HTTP/1.1\r\n\r\n"));
        Assert.Equal("HTTP/1.1 200 OK", Status(await Raw("GET /healthz HTTP/1.1\r\n\r\n")));
    }

    [Fact]
    public async Task A_head_larger_than_the_limit_gets_431_without_reading_the_rest()
    {
        var big = "GET /metrics HTTP/1.1\r\nX-Fill: " + new string('a', 1 << 20) + "\r\n\r\n";
        using var s = await Connect();
        var send = s.SendAsync(Encoding.ASCII.GetBytes(big)); // may fail once the server hangs up
        var response = await ReadToClose(s, TimeSpan.FromSeconds(10));
        try { await send; } catch (SocketException) { }
        Assert.StartsWith("HTTP/1.1 431", response);
        Assert.Equal("HTTP/1.1 200 OK", Status(await Raw("GET /healthz HTTP/1.1\r\n\r\n")));
    }

    [Fact]
    public async Task Slowloris_clients_are_cut_off_at_the_header_timeout()
    {
        using var s = await Connect();
        var clock = Stopwatch.StartNew();
        await s.SendAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\n"));
        var reading = ReadToClose(s, TimeSpan.FromSeconds(20));
        // One header byte every 200 ms: never a whole head within the 1 s limit.
        for (int i = 0; i < 20 && !reading.IsCompleted; i++)
        {
            try { await s.SendAsync(Encoding.ASCII.GetBytes("X")); } catch (SocketException) { break; }
            await Task.Delay(200);
        }
        var response = await reading;
        Assert.StartsWith("HTTP/1.1 408", response);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);

        // A client that connects and says nothing is dropped too, silently.
        using var silent = await Connect();
        clock.Restart();
        Assert.Equal("", await ReadToClose(silent, TimeSpan.FromSeconds(20)));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
    }

    [Fact]
    public async Task More_idle_connections_than_slots_get_503_and_the_slots_come_back()
    {
        // A server of its own whose idle connections keep their slots for 20 s: with the 1 s of
        // the others, a loaded host could let the first time out before the ninth arrived.
        using var stop = new CancellationTokenSource();
        using var server = new MetricsHttpServer(new IPEndPoint(IPAddress.Loopback, 0), _cache,
            new ServerLimits { HeaderTimeout = TimeSpan.FromSeconds(20), MaxHeaderBytes = 4096, MaxConnections = 8 });
        var running = server.RunAsync(stop.Token);
        int port = server.LocalEndPoint.Port;
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 8; i++) idle.Add(await Connect(port));
            await Task.Delay(200); // let the server accept them all
            var refused = await Raw("GET /metrics HTTP/1.1\r\n\r\n", TimeSpan.FromSeconds(5), port);
            Assert.StartsWith("HTTP/1.1 503", refused);
        }
        finally
        {
            foreach (var s in idle) s.Dispose();
        }
        // The idle ones close (long before they would time out); then scrapes are served again.
        var clock = Stopwatch.StartNew();
        string served = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !(served = Status(await Raw("GET /metrics HTTP/1.1\r\n\r\n", port: port))).StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            await Task.Delay(50);
        Assert.Equal("HTTP/1.1 200 OK", served);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the slots came back when their clients closed");
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_scrape_storm_costs_one_scan()
    {
        var scrapes = Enumerable.Range(0, 48).Select(async _ =>
        {
            // Fewer at once than the slots, as a storm that is not also a connection flood.
            return await Raw("GET /metrics HTTP/1.1\r\n\r\n");
        });
        var results = new List<string>();
        foreach (var batch in scrapes.Chunk(6)) results.AddRange(await Task.WhenAll(batch));
        Assert.All(results, r => Assert.Equal("HTTP/1.1 200 OK", Status(r)));
        Assert.Equal(1, _collections);
        Assert.Equal(1, _cache.Collections);
        // Every response is the same snapshot.
        Assert.Single(results.Select(r => r[r.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]).Distinct());
    }
}
