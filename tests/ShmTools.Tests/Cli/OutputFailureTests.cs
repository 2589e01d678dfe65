using System.IO.Pipes;
using ShmTools.Cli;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary>Standard output that cannot take the output: one line on stderr, exit code 3, no stack trace.</summary>
public sealed class OutputFailureTests
{
    private static string[] Shell(string script) => ["sh", "-c", script, "sh"];

    [Theory]
    [InlineData("list", "--json")]
    [InlineData("list")]
    public void A_closed_stdout_and_a_full_disk_are_said_in_one_line_with_exit_code_3(params string[] verb)
    {
        string prefix = Unique.Name("outfail");
        var names = Enumerable.Range(0, 3000).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var n in names) File.WriteAllBytes("/dev/shm/" + n, []);
        string full = Path.Combine(Path.GetTempPath(), Unique.Name("full"));
        Directory.CreateDirectory(full);
        try
        {
            string[] args = [.. verb, "--name", prefix + "-*"];
            var closed = ShmToolsCli.InvokeUnder(Shell("exec \"$@\" >&-"), args);
            // A 64 KiB filesystem of its own (a private mount namespace), far smaller than 3,000 segments' output.
            var filled = ShmToolsCli.InvokeUnder(["unshare", "-m", "--propagation", "private", .. Shell($"mount -t tmpfs -o size=64k full '{full}' && exec \"$@\" > '{full}/out'")], args);
            foreach (var (run, why) in new[] { (closed, "not an open descriptor (EBADF)"), (filled, "no space left on device (ENOSPC)") })
            {
                Assert.Equal(3, run.ExitCode);
                Assert.Contains($"shmtools: cannot write to standard output: {why}; the output is incomplete.", run.Stderr);
                Assert.DoesNotContain("   at ", run.Stderr);
                Assert.DoesNotContain("Unhandled exception", run.Stderr);
            }
        }
        finally
        {
            TestHost.Remove(names);
            Directory.Delete(full, recursive: true);
        }
    }

    /// <summary>The verbs that write through the console say a standard output they cannot write to as such, too.</summary>
    [Theory]
    [InlineData(">&-", "df")]
    [InlineData("1</dev/null", "df")]
    [InlineData(">&-", "--help")]
    [InlineData("1</dev/null", "metrics")]
    public void A_closed_or_read_only_stdout_is_named_by_every_verb(string redirect, string verb)
    {
        var run = ShmToolsCli.InvokeUnder(Shell($"exec \"$@\" {redirect}"), verb);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("shmtools: cannot write to standard output: it is ", run.Stderr);
        Assert.DoesNotContain("Access to the path", run.Stderr);
    }

    /// <summary>A message that cannot be shown does not turn into an abort: the command's exit code stands.</summary>
    [Theory]
    [InlineData("2>&-")]
    [InlineData("2>/dev/full")]
    [InlineData("2</dev/null")]
    public void Standard_error_that_cannot_be_written_leaves_the_exit_code_the_commands(string redirect)
    {
        Assert.Equal(2, ShmToolsCli.InvokeUnder(Shell($"exec \"$@\" {redirect}"), "list", "--no-such-option").ExitCode);
        Assert.Equal(2, ShmToolsCli.InvokeUnder(Shell($"exec \"$@\" {redirect}"), "list", "--min-size", "lots").ExitCode);
        string[] none = ["list", "--json", "--name", Unique.Name("none") + "*"];
        Assert.Contains("warning:", ShmToolsCli.Invoke(none).Stderr); // it has something to say there (a partial view)
        var ok = ShmToolsCli.InvokeUnder(Shell($"exec \"$@\" {redirect}"), none);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("[]", ok.Stdout.Trim());
    }

    [Fact]
    public void A_pipe_whose_reader_has_gone_stops_the_writer()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        int fd = (int)pipe.ClientSafePipeHandle.DangerousGetHandle();
        var output = new StdoutStream(fd);
        output.Write("first"u8);
        var first = new byte[5];
        pipe.ReadExactly(first);
        Assert.Equal("first"u8.ToArray(), first);
        pipe.Dispose(); // the reader goes, as `head` does after its lines
        Assert.Throws<ReaderGoneException>(() => output.Write("second"u8));
    }

    [Theory]
    [InlineData("list", "--json")]
    [InlineData("list")]
    public void A_reader_that_stops_early_ends_the_command_quietly_with_exit_code_0(params string[] verb)
    {
        string prefix = Unique.Name("head");
        var names = Enumerable.Range(0, 3000).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var n in names) File.WriteAllBytes("/dev/shm/" + n, []);
        try
        {
            var run = ShmToolsCli.InvokeUnder(["bash", "-c", "\"$@\" | head -c 200 >/dev/null; exit ${PIPESTATUS[0]}", "bash"], [.. verb, "--name", prefix + "-*"]);
            Assert.Equal(0, run.ExitCode);
            Assert.DoesNotContain("shmtools:", run.Stderr);
            Assert.DoesNotContain("   at ", run.Stderr);
        }
        finally
        {
            TestHost.Remove(names);
        }
    }
}
