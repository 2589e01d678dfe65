using System.Text.Json;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary><c>shmtools list</c> as scripts use it: the JSON contract, exit codes, stderr.</summary>
public sealed class ListVerbTests
{
    [Fact]
    public void Json_carries_the_contract_fields_and_nothing_else_goes_to_stdout()
    {
        using var held = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "16384", "map");
        var run = ShmToolsCli.Invoke("list", "--json", "--name", held.Name!);
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        var seg = Assert.Single(doc.RootElement.EnumerateArray());
        foreach (var key in new[] { "name", "kind", "path", "device", "inode", "sizeBytes", "residentBytes", "owner", "mode", "modified", "accessed", "producer", "ownerPidHint", "attachments" })
            Assert.True(seg.TryGetProperty(key, out _), "missing " + key);
        Assert.Equal(held.Name, seg.GetProperty("name").GetString());
        Assert.Equal("posix", seg.GetProperty("kind").GetString());
        Assert.Equal(16384, seg.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("0600", seg.GetProperty("mode").GetString());
        Assert.Matches(@"^\d+:\d+$", seg.GetProperty("device").GetString());
        var a = seg.GetProperty("attachments").EnumerateArray().First(x => x.GetProperty("via").GetString() == "map");
        Assert.Equal(held.Pid, a.GetProperty("pid").GetInt32());
        Assert.StartsWith("python", a.GetProperty("processName").GetString());
    }

    [Fact]
    public void Ignore_invisible_takes_process_ids_only()
    {
        Assert.Equal(0, ShmToolsCli.Invoke("list", "--json", "--ignore-invisible", "1", "--name", Unique.Name()).ExitCode);
        foreach (var bad in new[] { "0", "-5" })
        {
            var run = ShmToolsCli.Invoke("list", "--ignore-invisible", bad);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"--ignore-invisible: {bad} is not a process id", run.Stderr);
        }
    }

    [Fact]
    public void Table_output_shows_the_segment_for_people()
    {
        using var held = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "65536", "fd");
        var run = ShmToolsCli.Invoke("list", "--name", held.Name!);
        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("KIND", lines[0]);
        Assert.Contains(held.Name!, lines[1]);
        Assert.Contains("64 KiB", lines[1]);
        // Compare whole cells: a pid such as 1 or 12 is also a substring of sizes and names.
        var cells = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(held.Name, cells[^1]);
        Assert.Contains(held.Pid.ToString(), cells[^3].Split(','));
    }

    [Theory]
    [InlineData("list", "--kind", "bogus")]
    [InlineData("list", "--min-size", "lots")]
    [InlineData("list", "--no-such-option")]
    [InlineData("frobnicate")]
    public void Bad_arguments_exit_2_with_a_message_on_stderr(params string[] args)
    {
        var run = ShmToolsCli.Invoke(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("shmtools:", run.Stderr);
    }

    /// <summary>No response files: "@path" is an argument, never a file read (a directory was a stack trace, a fifo a hang).</summary>
    [Fact]
    public void An_argument_beginning_with_at_is_an_argument_not_a_file_to_read()
    {
        string fifo = Path.Combine(Path.GetTempPath(), Unique.Name("fifo"));
        NativeBuild.Run("mkfifo", fifo);
        try
        {
            foreach (var target in new[] { "/tmp", fifo })
            {
                var run = ShmToolsCli.Invoke("list", "@" + target);
                Assert.Equal(2, run.ExitCode);
                Assert.Contains($"shmtools: Unrecognized command or argument '@{target}'.", run.Stderr);
                Assert.DoesNotContain("   at ", run.Stderr);
            }
            var pattern = ShmToolsCli.Invoke("list", "--json", "--name", "@" + Unique.Name("none") + "*");
            Assert.True(pattern.ExitCode == 0, pattern.Stderr);
            Assert.Equal("[]", pattern.Stdout.Trim());
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [RootFact]
    public void An_unprivileged_user_gets_a_complete_list_with_a_partial_visibility_warning()
    {
        using var held = HeldSegment.Start("file", "/dev/shm", Unique.Name(), "4096", "map");
        var run = ShmToolsCli.InvokeAs("65534", "list", "--json", "--name", held.Name!);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("could not be read", run.Stderr);
        Assert.Contains("/maps: permission denied", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var seg = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.False(seg.GetProperty("attachmentsComplete").GetBoolean());
        Assert.Equal(0, seg.GetProperty("attachments").GetArrayLength()); // root's holder is invisible to nobody
    }
}
