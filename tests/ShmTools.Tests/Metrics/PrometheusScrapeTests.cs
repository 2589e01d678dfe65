using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Metrics;

/// <summary>
/// A real Prometheus server scrapes a real <c>shmtools serve</c> whose /dev/shm is a private tmpfs
/// holding known segments (one live, one stale, one with a hostile name) and whose NVML is the
/// stand-in driver (one live process, one dead); what Prometheus stored must equal the truth.
/// Prometheus also loads deploy/prometheus/shmtools-rules.yml and must find every rule healthy.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class PrometheusScrapeTests
{
    private const long Stale = 3 << 20;
    private const long LiveResident = 8192;
    private const long Hostile = 4096;
    private const string HostileName = "evil\"name\\with{braces}=\"x\",le=\"+Inf\"\nsecond line";
    private const int AbsentPid = 4_100_000;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [PrometheusFact]
    public async Task Prometheus_stores_the_stale_bytes_mount_figures_and_gpu_memory_the_exporter_saw()
    {
        var clock = Stopwatch.StartNew();
        int dead = PrivateShm.DeadPid();
        int exporterPort = FreePort(), prometheusPort = FreePort();
        string nvml = NativeBuild.Library("fake_nvml.c", "STRIDE=32", $"PID_A={Environment.ProcessId}", $"PID_B={AbsentPid}");
        string setup = $"""
            head -c {Stale} /dev/zero > /dev/shm/torch_{dead}_77_0
            python3 -c 'import os,sys; open("/dev/shm/" + os.environ["HOSTILE"], "wb").write(b"h" * {Hostile})'
            hold python3 "$HOLDER" file /dev/shm live_scrape 1048576 map > "$WORK/live.json"
            ready "$WORK/live.json"
            """;
        string[] serve =
        [
            "dotnet", ShmToolsCli.DllPath, "serve", "--listen", $"127.0.0.1:{exporterPort}", "--min-interval", "500ms",
            "--per-segment", "--nvml-library", nvml, "--hami-cache", "/nonexistent/none.cache",
            .. TestHost.ForeignUnreadableProcesses.SelectMany(p => new[] { "--ignore-invisible", p.ToString(CultureInfo.InvariantCulture) }),
        ];
        using var exporter = PrivateShm.Start("16m", setup, new Dictionary<string, string> { ["HOSTILE"] = HostileName }, serve);
        await WaitFor(async () => (await Http.GetAsync($"http://127.0.0.1:{exporterPort}/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), () => "exporter did not come up: " + exporter.Stderr);

        string dir = Directory.CreateTempSubdirectory("shmtools-prometheus-").FullName;
        string rules = Path.Combine(PrometheusTools.RepoRoot, "deploy", "prometheus", "shmtools-rules.yml");
        File.WriteAllText(Path.Combine(dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rules}
            scrape_configs:
              - job_name: shmtools
                static_configs:
                  - targets: ['127.0.0.1:{exporterPort}']
            """);
        using var prometheus = Process.Start(new ProcessStartInfo(PrometheusTools.Server!)
        {
            ArgumentList =
            {
                "--config.file=" + Path.Combine(dir, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(dir, "data"),
                $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn",
            },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        var promLog = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (promLog) promLog.AppendLine(e.Data); };
        prometheus.BeginErrorReadLine();
        try
        {
            string api = $"http://127.0.0.1:{prometheusPort}/api/v1/";
            JsonElement stale = default;
            await WaitFor(async () =>
            {
                var r = await Query(api, "shmtools_stale_bytes");
                if (r.GetArrayLength() == 0) return false;
                stale = r[0];
                return true;
            }, TimeSpan.FromSeconds(60), () => "Prometheus stored no scrape: " + promLog);
            Console.WriteLine($"first scrape stored after {clock.Elapsed.TotalSeconds:0.0} s");

            Assert.Equal(Stale, Value(stale));
            Assert.Equal("shmtools", stale.GetProperty("metric").GetProperty("job").GetString());
            Assert.Equal(1, Value(Single(await Query(api, "up{job=\"shmtools\"}"))));
            Assert.Equal(16L << 20, Value(Single(await Query(api, "shmtools_mount_size_bytes{namespace=\"host\"}"))));
            Assert.Equal(Stale + LiveResident + Hostile, Value(Single(await Query(api, "shmtools_mount_used_bytes{namespace=\"host\"}"))));
            Assert.Equal(LiveResident, Value(Single(await Query(api, "shmtools_mount_segment_bytes{namespace=\"host\",verdict=\"Live\"}"))));
            Assert.Equal(Stale, Value(Single(await Query(api, "shmtools_mount_segment_bytes{namespace=\"host\",verdict=\"Stale\"}"))));
            Assert.Equal(Hostile, Value(Single(await Query(api, "shmtools_mount_segment_bytes{namespace=\"host\",verdict=\"Unknown\"}"))));
            Assert.Equal(1, Value(Single(await Query(api, "shmtools_segments{kind=\"posix\",producer=\"pytorch\",verdict=\"Stale\"}"))));
            // Every process was read; a pid namespace of its own (the tests' own) still makes the view partial.
            Assert.Equal(0, Value(Single(await Query(api, "shmtools_unreadable_processes"))));
            Assert.Equal(0, Value(Single(await Query(api, "shmtools_visibility_limit{reason=\"unreadable_processes\"}"))));
            Assert.Equal(TestHost.InOwnPidNamespace ? 1 : 0, Value(Single(await Query(api, "shmtools_visibility_limit{reason=\"pid_namespace\"}"))));
            Assert.Equal(0, Value(Single(await Query(api, "shmtools_visibility_limit{reason=\"hidepid\"}"))));
            Assert.Equal(TestHost.InOwnPidNamespace ? 1 : 0, Value(Single(await Query(api, "shmtools_visibility_partial"))));

            // The hostile name came through as one label value, byte for byte, and forged no label.
            var perSegment = await Query(api, "shmtools_segment_resident_bytes");
            Assert.Equal(3, perSegment.GetArrayLength());
            var evil = Assert.Single(perSegment.EnumerateArray(), s => s.GetProperty("metric").GetProperty("name").GetString() == HostileName);
            Assert.Equal(Hostile, Value(evil));
            Assert.False(evil.GetProperty("metric").TryGetProperty("le", out _));

            // GPU: the stand-in driver reports 1 GiB for this test process and 2 GiB for a pid that does not exist.
            Assert.Equal(1, Value(Single(await Query(api, "shmtools_gpu_source_up"))));
            Assert.Equal(85899345920L, Value(Single(await Query(api, "shmtools_gpu_memory_total_bytes{gpu=\"0\"}"))));
            Assert.Equal(2L << 30, Value(Single(await Query(api, "shmtools_gpu_dead_process_memory_bytes{gpu=\"0\"}"))));
            Assert.Equal(1L << 30, Value(Single(await Query(api, $"shmtools_gpu_process_memory_bytes{{pid=\"{Environment.ProcessId}\",dead=\"false\"}}"))));

            // The alerting rules load and evaluate in the real server.
            var groups = JsonDocument.Parse(await Http.GetStringAsync(api + "rules")).RootElement.GetProperty("data").GetProperty("groups");
            var loaded = groups.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            Assert.Equal(["GpuMemoryHeldByDeadProcesses", "ShmExporterVisibilityPartial", "ShmMountAlmostFull", "ShmStaleBytesHigh"],
                loaded.Select(r => r.GetProperty("name").GetString()!).Order().ToArray());
            await WaitFor(async () =>
            {
                var again = JsonDocument.Parse(await Http.GetStringAsync(api + "rules")).RootElement.GetProperty("data").GetProperty("groups");
                return again.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).All(r => r.GetProperty("health").GetString() == "ok");
            }, TimeSpan.FromSeconds(20), () => "rules not healthy");
            // The dead process's GPU memory makes that alert pending (its "for" is 10 minutes).
            await WaitFor(async () =>
            {
                var alerts = JsonDocument.Parse(await Http.GetStringAsync(api + "alerts")).RootElement.GetProperty("data").GetProperty("alerts");
                return alerts.EnumerateArray().Any(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "GpuMemoryHeldByDeadProcesses"
                    && a.GetProperty("state").GetString() == "pending");
            }, TimeSpan.FromSeconds(20), () => "GpuMemoryHeldByDeadProcesses not pending");
            Console.WriteLine($"scrape test done in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            try { prometheus.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            prometheus.WaitForExit(10_000);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<JsonElement> Query(string api, string promql)
    {
        var json = await Http.GetStringAsync(api + "query?query=" + Uri.EscapeDataString(promql));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("success", root.GetProperty("status").GetString());
        return root.GetProperty("data").GetProperty("result").Clone();
    }

    private static JsonElement Single(JsonElement result)
    {
        Assert.Equal(1, result.GetArrayLength());
        return result[0];
    }

    private static double Value(JsonElement sample) =>
        double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    private static async Task WaitFor(Func<Task<bool>> condition, TimeSpan timeout, Func<string> why)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > until) Assert.Fail(why());
            await Task.Delay(250);
        }
    }
}
