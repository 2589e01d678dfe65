using System.Diagnostics;
using ShmTools.Core.Metrics;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Metrics;

/// <summary>shmtools metrics output as promtool judges it, written to files as the textfile collector reads them.</summary>
[Collection(WholeShmCollection.Name)]
public sealed class ExpositionTests
{
    private static (int Exit, string Output) Promtool(string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(PrometheusTools.Promtool!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.WaitForExit(60_000);
        return (p.ExitCode, output.Result + err.Result);
    }

    [PromtoolFact]
    public void Promtool_check_metrics_passes_on_the_output_with_hostile_names_and_per_segment_series()
    {
        // Names that try to break the format: quotes, backslashes, a newline, braces, a forged label,
        // invalid UTF-8, a name that looks like a sample line.
        var names = new[] { "q\"uote", "back\\slash", "new\nline", "br{ace}s", "x\",le=\"1", "\u00e9t\u00e9", "shmtools_stale_bytes 1e99" };
        string tag = "expo_" + Guid.NewGuid().ToString("N")[..6] + "_";
        var made = new List<string>();
        try
        {
            foreach (var n in names)
            {
                File.WriteAllBytes("/dev/shm/" + tag + n, new byte[4096]);
                made.Add("/dev/shm/" + tag + n);
            }
            // Not valid UTF-8: a name the kernel allows and a string cannot hold.
            using (var py = Process.Start("python3", ["-c", "import sys; open(b'/dev/shm/' + sys.argv[1].encode() + b'\\xff\\xfez', 'wb').close()", tag])!)
                py.WaitForExit();

            var run = ShmToolsCli.Invoke("metrics", "--per-segment", "--segment-limit", "100000", "--no-gpu");
            Assert.True(run.ExitCode == 0, run.Stderr);
            var (exit, output) = Promtool(run.Stdout, "check", "metrics");
            Assert.True(exit == 0, output);
            Assert.Equal("", output.Trim());
            foreach (var n in names)
                Assert.Contains("name=\"" + (tag + n).Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"", run.Stdout);
            // Every line is a comment or one sample of a known family.
            foreach (var line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(line.StartsWith("# ") || line.StartsWith("shmtools_"), line);
        }
        finally
        {
            foreach (var m in made)
            {
                try { File.Delete(m); } catch (IOException) { }
            }
            using (var py = Process.Start("python3", ["-c", "import os,sys; [os.unlink(b'/dev/shm/' + f) for f in os.listdir(b'/dev/shm') if f.startswith(sys.argv[1].encode())]", tag])!)
                py.WaitForExit();
        }
    }

    [PromtoolFact]
    public void Output_file_is_replaced_whole_and_leaves_no_temporary_files()
    {
        string dir = Directory.CreateTempSubdirectory("shmtools-textfile-").FullName;
        try
        {
            string target = Path.Combine(dir, "shmtools.prom");
            File.WriteAllText(target, "old content\n");
            var run = ShmToolsCli.Invoke("metrics", "--no-gpu", "--output", target);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal("", run.Stdout);
            Assert.Equal([target], Directory.GetFileSystemEntries(dir));
            string text = File.ReadAllText(target);
            Assert.StartsWith("# HELP shmtools_segments ", text);
            Assert.True(Promtool(text, "check", "metrics").Exit == 0);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(target));

            // A symlink at the target is replaced, not followed.
            string elsewhere = Path.Combine(dir, "elsewhere");
            File.WriteAllText(elsewhere, "keep\n");
            File.Delete(target);
            File.CreateSymbolicLink(target, elsewhere);
            Assert.Equal(0, ShmToolsCli.Invoke("metrics", "--no-gpu", "-o", target).ExitCode);
            Assert.Equal("keep\n", File.ReadAllText(elsewhere));
            Assert.False(new FileInfo(target).Attributes.HasFlag(FileAttributes.ReparsePoint));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void A_full_disk_leaves_the_old_file_whole_and_no_temporary_file()
    {
        // A tmpfs of one page, which the old file takes: the new text cannot get a page.
        string setup = "printf 'old\\n' > /dev/shm/shmtools.prom";
        string script = "dotnet \"$0\" metrics --no-gpu --output /dev/shm/shmtools.prom; echo \"exit=$?\" >&2; cat /dev/shm/shmtools.prom; ls -a /dev/shm";
        using var run = PrivateShm.Start("4k", setup, "bash", "-c", script, ShmToolsCli.DllPath);
        var r = run.Wait(TimeSpan.FromSeconds(60));
        Assert.Equal("3", run.Reported("exit"));
        Assert.Contains("shmtools: could not write /dev/shm/shmtools.prom:", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal(["old", ".", "..", "shmtools.prom"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Output_to_a_missing_directory_or_a_directory_is_a_bad_argument_refused_before_the_scan()
    {
        var missing = ShmToolsCli.Invoke("metrics", "--no-gpu", "--output", "/nonexistent-dir/x.prom");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--output /nonexistent-dir/x.prom: the directory /nonexistent-dir does not exist", missing.Stderr);
        Assert.DoesNotContain("   at ", missing.Stderr);
        Assert.Equal("", missing.Stdout);
        foreach (var system in new[] { "/dev/stdout", "/dev/null", "/proc/self/fd/1", "" })
        {
            var refused = ShmToolsCli.Invoke("metrics", "--no-gpu", "--output", system);
            Assert.True(refused.ExitCode == 2, $"--output '{system}': exit {refused.ExitCode}: {refused.Stderr}");
            Assert.DoesNotContain("   at ", refused.Stderr);
        }
        Assert.NotNull(new FileInfo("/dev/stdout").LinkTarget); // still the system's link
        var dir = ShmToolsCli.Invoke("metrics", "--no-gpu", "--output", "/tmp");
        Assert.Equal(2, dir.ExitCode);
        Assert.Contains("is a directory", dir.Stderr);
    }

    [RootFact]
    public void A_device_or_a_link_to_one_at_an_output_path_is_refused_and_left_as_it_was()
    {
        string dir = Directory.CreateTempSubdirectory("shmtools-devout-").FullName;
        try
        {
            string device = Path.Combine(dir, "null"), link = Path.Combine(dir, "out.prom"), list = Path.Combine(dir, "l.csv");
            var mknod = Process.Start("mknod", [device, "c", "1", "3"])!;
            mknod.WaitForExit();
            Assert.Equal(0, mknod.ExitCode);
            File.CreateSymbolicLink(link, "/dev/null");
            File.WriteAllText(list, "id,lower,upper,size\na,0,2,8\nb,1,3,8\n");
            foreach (var args in new[] { new[] { "metrics", "--no-gpu", "--output", device }, ["metrics", "--no-gpu", "--output", link], ["plan", "--buffers", list, "--output", device] })
            {
                var run = ShmToolsCli.Invoke(args);
                Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: exit {run.ExitCode}: {run.Stderr}");
                Assert.Contains("is a device or socket", run.Stderr);
            }
            var type = Process.Start(new ProcessStartInfo("stat", ["-c", "%F", device]) { RedirectStandardOutput = true })!;
            Assert.Equal("character special file", type.StandardOutput.ReadToEnd().Trim());
            Assert.Equal("/dev/null", new FileInfo(link).LinkTarget);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Bad_arguments_of_serve_are_usage_errors()
    {
        foreach (var args in new[] { new[] { "serve", "--listen", "9464" }, ["serve", "--listen", "nonsense:port"], ["serve", "--min-interval", "soon"], ["metrics", "--segment-limit", "-5"] })
        {
            var r = ShmToolsCli.Invoke(args);
            Assert.True(r.ExitCode == 2, string.Join(' ', args) + ": " + r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
        }
    }

    [Fact]
    public void Serve_on_an_address_in_use_exits_3()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        var r = ShmToolsCli.Invoke("serve", "--listen", "127.0.0.1:" + port, "--no-gpu");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("cannot listen", r.Stderr);
    }

    [Fact]
    public void Label_values_are_escaped_and_lone_surrogates_replaced()
    {
        var w = new ExpositionWriter().Gauge("t_bytes", "help with \\ and \n newline");
        w.Sample(1.5, ("a", "x\"y\\z\nw"), ("b", ""), ("c", "ok\ud83d\ude00"), ("d", "lone\ud800"));
        Assert.Equal("# HELP t_bytes help with \\\\ and \\n newline\n# TYPE t_bytes gauge\nt_bytes{a=\"x\\\"y\\\\z\\nw\",c=\"ok\ud83d\ude00\",d=\"lone\ufffd\"} 1.5\n", w.ToString());
        Assert.Throws<InvalidOperationException>(() => w.Gauge("t_bytes", "again"));
        Assert.Throws<ArgumentException>(() => new ExpositionWriter().Gauge("bad-name", "x"));
        Assert.Equal(("3", "0.25", "NaN", "+Inf", "1.8446744073709552E+19"),
            (ExpositionWriter.Format(3), ExpositionWriter.Format(0.25), ExpositionWriter.Format(double.NaN), ExpositionWriter.Format(double.PositiveInfinity), ExpositionWriter.Format(18446744073709551615.0)));
    }
}
