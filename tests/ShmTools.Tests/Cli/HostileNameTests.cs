using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ShmTools.Core.Cleanup;
using ShmTools.Core.Shm;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary>
/// Names chosen by an attacker: control characters that would forge a table row on a terminal,
/// a name that is not UTF-8, and a real U+FFFD name it must not be confused with. Every one is a
/// stale segment (its lease header says RELEASED), so each must be shown safely and removed.
/// </summary>
public sealed class HostileNameTests
{
    private static string[] Ignore => TestHost.ForeignUnreadableProcesses.SelectMany(p => new[] { "--ignore-invisible", p.ToString() }).ToArray();

    /// <summary>Creates /dev/shm files by their exact bytes (C# paths are strings), each a released lease.</summary>
    private static void CreateReleased(params byte[][] names)
    {
        var psi = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("""
            import os, struct, sys
            header = b"SHMLEASE" + struct.pack("<IIIIQQQ", 1, 0, 0, 0, 0, 0, 0) + bytes(16)
            for line in sys.stdin.read().split():
                fd = os.open(b"/dev/shm/" + bytes.fromhex(line), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.write(fd, header + bytes(4096 - 64))
                os.close(fd)
            """);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(string.Join('\n', names.Select(Convert.ToHexString)));
        p.StandardInput.Close();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
    }

    private sealed record Names(string Tag, string Forged, byte[] Invalid, string RealReplacement) : IDisposable
    {
        public void Dispose()
        {
            foreach (var f in Directory.GetFiles("/dev/shm", Tag + "*")) File.Delete(f);
            // The non-UTF-8 one, if it is still there, is only reachable by its bytes.
            CleanupViaPython(Invalid);
        }

        private static void CleanupViaPython(byte[] name)
        {
            using var p = Process.Start("python3", ["-c", $"import os\ntry: os.unlink(b'/dev/shm/' + bytes.fromhex('{Convert.ToHexString(name)}'))\nexcept FileNotFoundError: pass"])!;
            p.WaitForExit();
        }
    }

    private static Names Make()
    {
        string tag = Unique.Name("hostile");
        var n = new Names(tag, tag + "_a\r\u001b[2KLive  posix  kept", [.. Encoding.ASCII.GetBytes(tag + "_b"), 0xFF, 0xFE], tag + "_b\uFFFD\uFFFD");
        CreateReleased(Encoding.UTF8.GetBytes(n.Forged), n.Invalid, Encoding.UTF8.GetBytes(n.RealReplacement));
        return n;
    }

    [Fact]
    public void Control_characters_never_reach_the_terminal_and_the_json_stays_exact()
    {
        using var n = Make();
        foreach (var verb in new[] { "list", "check", "clean" })
        {
            var run = ShmToolsCli.Invoke([verb, "--name", n.Tag + "_*", .. Ignore]);
            Assert.True(run.ExitCode == 0, $"{verb}: exit {run.ExitCode}: {run.Stderr}");
            Assert.DoesNotContain('\u001b', run.Stdout);
            Assert.DoesNotContain('\r', run.Stdout);
            Assert.Contains(n.Tag + "_a\\r\\x1b[2KLive  posix  kept", run.Stdout);
            Assert.Equal(4, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - (verb == "clean" ? 1 : 0));
        }
        var json = ShmToolsCli.Invoke(["check", "--json", "--name", n.Tag + "_a*", .. Ignore]);
        var r = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal(n.Forged, r.GetProperty("name").GetString());
        Assert.Equal(n.Tag + "_a\\r\\x1b[2KLive  posix  kept", r.GetProperty("displayName").GetString());
    }

    [Fact]
    public void A_name_that_is_not_utf8_is_matched_by_its_escaped_form_never_by_its_lossy_text()
    {
        using var n = Make();
        // As text both names read TAG_b\uFFFD\uFFFD: an exact name of that text means the real one only.
        var lossy = new ShmInventory().Scan(new ShmQuery { ExactNames = new HashSet<string> { n.RealReplacement } }).Segments;
        Assert.Null(Assert.Single(lossy).RawName);
        var escaped = new ShmInventory().Scan(new ShmQuery { ExactNames = new HashSet<string> { n.Tag + "_b\\xff\\xfe" } }).Segments;
        Assert.Equal(n.Invalid, Assert.Single(escaped).RawName);
        // --name is a wildcard pattern, where a backslash escapes: the escaped form is written with \\.
        var listed = ShmToolsCli.Invoke(["list", "--json", "--name", n.Tag + "_b\\\\xff\\\\xfe"]);
        var only = Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray());
        Assert.Equal(n.Tag + "_b\\xff\\xfe", only.GetProperty("displayName").GetString());
    }

    [Fact]
    public void A_name_that_is_not_utf8_is_shown_escaped_apart_from_a_real_replacement_character_and_both_are_removed()
    {
        using var n = Make();
        var segments = new ShmInventory().Scan(new ShmQuery { Names = [n.Tag + "_b*"] }).Segments;
        Assert.Equal(2, segments.Count);
        var invalid = Assert.Single(segments, s => s.RawName != null);
        var real = Assert.Single(segments, s => s.RawName == null);
        Assert.Equal(n.Invalid, invalid.RawName);
        Assert.Equal(invalid.Name, real.Name); // as text they are the same ...
        Assert.Equal(n.Tag + "_b\\xff\\xfe", invalid.DisplayName); // ... as shown they are not
        Assert.Equal(n.RealReplacement, real.DisplayName);
        Assert.Equal("/dev/shm/" + n.Tag + "_b\\xff\\xfe", invalid.DisplayPath);

        var table = ShmToolsCli.Invoke(["check", "--name", n.Tag + "_b*", .. Ignore]);
        Assert.Contains(n.Tag + "_b\\xff\\xfe", table.Stdout);
        Assert.Contains(n.RealReplacement, table.Stdout);
        Assert.DoesNotContain("could not be", table.Stdout);

        using var cleaner = new StaleSegmentCleaner(new CleanupOptions { Liveness = TestHost.Liveness() });
        var report = cleaner.Run(CleanupInput.Of(segments), CleanupApprover.ApproveAll);
        Assert.Empty(report.Failed);
        Assert.Equal(new[] { n.RealReplacement, n.Tag + "_b\\xff\\xfe" }.Order(StringComparer.Ordinal), report.Removed.Select(x => x.DisplayName).Order(StringComparer.Ordinal));
        Assert.Empty(new ShmInventory().Scan(new ShmQuery { Names = [n.Tag + "_b*"] }).Segments);
    }

    [Fact]
    public void Clean_yes_removes_every_hostile_name_in_one_run()
    {
        using var n = Make();
        var run = ShmToolsCli.Invoke(["clean", "--yes", "--json", "--name", n.Tag + "_*", .. Ignore]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        var removed = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("removed").EnumerateArray()
            .Select(e => e.GetProperty("displayName").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, removed.Count);
        Assert.Contains(n.Tag + "_b\\xff\\xfe", removed);
        Assert.Empty(new ShmInventory().Scan(new ShmQuery { Names = [n.Tag + "_*"] }).Segments);
    }

    [Fact]
    public void A_process_that_names_itself_with_control_characters_cannot_forge_the_reason_column()
    {
        string name = Unique.Name("hostile-comm");
        using var holder = HeldSegment.StartWith("python3", ["-c", """
            import ctypes, json, mmap, os, sys
            ctypes.CDLL(None).prctl(15, b"\x1b[2K\rLive", 0, 0, 0)  # PR_SET_NAME
            fd = os.open("/dev/shm/" + sys.argv[1], os.O_CREAT | os.O_RDWR, 0o600)
            os.ftruncate(fd, 4096)
            m = mmap.mmap(fd, 4096)
            print(json.dumps({"name": sys.argv[1]}), flush=True)
            sys.stdin.read()
            os.unlink("/dev/shm/" + sys.argv[1])
            """, name]);
        var seg = TestHost.Segment(name);
        Assert.Equal("\u001b[2K\rLive", seg.Attachments.First(a => a.Pid == holder.Pid).ProcessName); // the object keeps it exact
        var r = TestHost.Check(name);
        Assert.Equal($"held by pid {holder.Pid} (\\x1b[2K\\rLive) via map", r.Reason);
        Assert.Equal("\\x1b[2K\\rLive", seg.Attachments[0].DisplayProcessName);
        var run = ShmToolsCli.Invoke(["check", "--name", name, .. Ignore]);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.DoesNotContain('\r', run.Stdout);
    }
}
