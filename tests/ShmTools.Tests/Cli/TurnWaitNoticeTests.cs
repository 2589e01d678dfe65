using System.Diagnostics;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Cli;

/// <summary>
/// A verb that judges waits for its turn behind another check or cleanup of /dev/shm, and says
/// so on stderr when the wait begins, not once it is over: a person at the terminal learns why
/// nothing happens while it happens. Another process holds the turn (the flock of /dev/shm), so
/// these run alone: the parallel tests' checks would wait on it too.
/// </summary>
[Collection(WholeShmCollection.Name)]
public sealed class TurnWaitNoticeTests
{
    [RootTheory]
    [InlineData("check", "--json")]
    [InlineData("df", "--json")]
    [InlineData("metrics", "--no-gpu")]
    public void The_wait_for_the_turn_is_told_while_the_other_process_still_holds_it(params string[] args)
    {
        const double HoldSeconds = 2.5;
        using var holder = Process.Start(new ProcessStartInfo("python3", ["-c",
            "import fcntl,os,sys,time\n" +
            "fd=os.open('/dev/shm',os.O_RDONLY|os.O_DIRECTORY)\n" +
            "fcntl.flock(fd,fcntl.LOCK_EX)\n" +
            "print('ready',flush=True)\n" +
            "time.sleep(float(sys.argv[1]))\n", HoldSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        { RedirectStandardOutput = true })!;
        Assert.Equal("ready", holder.StandardOutput.ReadLine());

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ShmToolsCli.DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var cli = Process.Start(psi)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        string? waiting = null;
        bool holderRanOn = false, cliRanOn = false;
        var rest = new List<string>();
        for (string? line; (line = cli.StandardError.ReadLine()) != null;)
        {
            if (waiting == null && line.Contains("waiting up to"))
            {
                (waiting, holderRanOn, cliRanOn) = (line, !holder.HasExited, !cli.HasExited);
                continue;
            }
            rest.Add(line);
        }
        Assert.True(cli.WaitForExit(30_000));
        holder.WaitForExit();

        Assert.NotNull(waiting);
        Assert.StartsWith("warning: the lock on /dev/shm for checks and cleanups is taken", waiting);
        Assert.Contains($"(held by pid {holder.Id})", waiting);
        // Told while the other process held the turn, and before the verb was done.
        Assert.True(holderRanOn, "the wait was told only after the holder had let go");
        Assert.True(cliRanOn);
        // Told once: not repeated among the warnings printed at the end.
        Assert.DoesNotContain(rest, l => l.Contains("waiting up to"));
        Assert.Equal(0, cli.ExitCode);
        Assert.NotEmpty(stdout.Result);
        // The report keeps what it told: df --json lists the wait among its warnings, the scan's own turn included.
        if (args[0] == "df")
        {
            var warnings = System.Text.Json.JsonDocument.Parse(stdout.Result).RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
            Assert.Contains(warnings, w => w.Contains("waiting up to") && w.Contains("reading /dev/shm and /proc"));
        }
    }
}
