using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>The cmdlets wait their turn behind another check or cleanup of /dev/shm, and say so as a warning when the wait begins.</summary>
[Collection(ShmTurnCollection.Name)]
public sealed class TurnLockScenarios
{
    /// <summary>
    /// A step that starts another process holding the turn (an exclusive flock on /dev/shm) for
    /// <paramref name="seconds"/> after it says "ready", as $holder, and writes "ready" and its pid.
    /// Started from the script, so that the wait begins only once the engine is up.
    /// </summary>
    private static ScenarioStep StartHolder(double seconds) => new()
    {
        Script = "$psi = [Diagnostics.ProcessStartInfo]::new('python3'); $psi.ArgumentList.Add('-c'); " +
            "$psi.ArgumentList.Add(\"import fcntl,os,time\nfd=os.open('/dev/shm',os.O_RDONLY|os.O_DIRECTORY)\nfcntl.flock(fd,fcntl.LOCK_EX)\nprint('ready',flush=True)\ntime.sleep(" +
            seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")\n\"); " +
            "$psi.RedirectStandardOutput = $true; $holder = [Diagnostics.Process]::Start($psi); $holder.StandardOutput.ReadLine(); $holder.Id",
    };

    [Fact]
    public void Clear_StaleShm_warns_that_it_waits_for_the_holder_of_the_cleanup_lock_then_removes()
    {
        string name = $"torch_4000000_{Random.Shared.Next(1, 1 << 30)}_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        try
        {
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new() { Script = "Import-Module $ModulePath" },
                    StartHolder(1.5),
                    new() { Script = "Clear-StaleShm -Name '" + name + "' -Force | ForEach-Object Action" },
                    new() { Script = "$holder.WaitForExit(10000)" },
                ],
            });
            StepAssert.Clean(r.Steps[1]);
            Assert.Equal("ready", r.Steps[1].Objects[0].Text);
            string pid = r.Steps[1].Objects[1].Text;
            StepAssert.Clean(r.Steps[2]);
            Assert.Equal("Removed", Assert.Single(r.Steps[2].Objects).Text);
            // Other tests' checks take their turns too, so there may be more waits than this one.
            Assert.Contains($"the lock on /dev/shm for checks and cleanups is taken (held by pid {pid}), most likely by another check or cleanup: waiting up to 10 s for it before reading /dev/shm and /proc.", r.Steps[2].Warnings);
            Assert.False(File.Exists("/dev/shm/" + name));
        }
        finally
        {
            File.Delete("/dev/shm/" + name);
        }
    }

    /// <summary>
    /// The warning comes as the wait begins, not once it is over: told to stop on a warning
    /// (-WarningAction Stop), each cmdlet stops while the other process still holds the turn, and
    /// keeps no descriptor of /dev/shm open afterwards.
    /// </summary>
    [Theory]
    [InlineData("Get-ShmUsage")]
    [InlineData("Test-ShmLiveness")]
    [InlineData("Get-ShmSegment | Test-ShmLiveness")]
    public void A_cmdlet_told_to_stop_on_a_warning_stops_while_the_turn_is_still_taken(string command)
    {
        var r = Engine.Run(new Scenario
        {
            Steps =
            [
                new() { Script = "Import-Module $ModulePath" },
                StartHolder(4),
                new()
                {
                    Script = "$WarningPreference = 'Stop'; try { " + command + " | Out-Null; 'finished' } catch { $_.FullyQualifiedErrorId } finally { $WarningPreference = 'Continue' }; " +
                        "$holder.HasExited; " +
                        "@([IO.Directory]::GetFileSystemEntries('/proc/self/fd') | Where-Object { try { [IO.File]::ResolveLinkTarget($_, $false).FullName -eq '/dev/shm' } catch { $false } }).Count",
                },
                new() { Script = "$holder.WaitForExit(10000)" },
            ],
        });
        StepAssert.Clean(r.Steps[1]);
        Assert.Equal("ready", r.Steps[1].Objects[0].Text);
        var stopped = r.Steps[2].Objects.Select(o => o.Text).ToList();
        Assert.Equal(3, stopped.Count);
        Assert.StartsWith("ActionPreferenceStop", stopped[0]);
        Assert.Equal("False", stopped[1]); // stopped while the holder still held the turn
        Assert.Equal("0", stopped[2]);     // and nothing of /dev/shm left open
    }

    /// <summary>
    /// A cleanup nobody is asked in keeps its turn at /dev/shm from its judging to its last removal,
    /// however it is told not to ask (-Force, -Confirm:$false, $ConfirmPreference = 'None', as
    /// scheduled scripts run it): while it writes its records another process finds the lock
    /// taken. The records here are of segments kept for being younger than -OlderThan, written
    /// between judging and removing: -Confirm:$false and a preference of None used to run as if
    /// a person were asked, and held no turn there.
    /// </summary>
    [Theory]
    [InlineData("-Force")]
    [InlineData("-Confirm:$false")]
    [InlineData("-ConfirmPreferenceNone")]
    public void A_cleanup_nobody_is_asked_in_holds_its_turn_through_its_records(string how)
    {
        string tag = Random.Shared.Next(1, 1 << 30).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var names = Enumerable.Range(1, 3).Select(i => $"torch_4000000_{tag}{i}_0").ToList();
        foreach (var n in names) File.WriteAllBytes("/dev/shm/" + n, new byte[4096]);
        try
        {
            const string Probe = "import fcntl,os\ntry:\n  fd=os.open('/dev/shm',os.O_RDONLY|os.O_DIRECTORY); fcntl.flock(fd,fcntl.LOCK_EX|fcntl.LOCK_NB); print('free')\nexcept BlockingIOError:\n  print('taken')\n";
            string clear = how == "-ConfirmPreferenceNone"
                ? $"$ConfirmPreference = 'None'; Clear-StaleShm -Name 'torch_4000000_{tag}*' -OlderThan 1h"
                : $"Clear-StaleShm -Name 'torch_4000000_{tag}*' -OlderThan 1h {how}";
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new() { Script = "Import-Module $ModulePath" },
                    new()
                    {
                        Script = "function LockState { $psi = [Diagnostics.ProcessStartInfo]::new('python3'); $psi.ArgumentList.Add('-c'); $psi.ArgumentList.Add(\"" + Probe + "\"); " +
                            "$psi.RedirectStandardOutput = $true; $p = [Diagnostics.Process]::Start($psi); $o = $p.StandardOutput.ReadToEnd(); $p.WaitForExit(); $o.Trim() }; " +
                            clear + " | ForEach-Object { $_.Action.ToString() + ' ' + (LockState) }; LockState",
                    },
                ],
            });
            StepAssert.Clean(r.Steps[1]);
            var lines = r.Steps[1].Objects.Select(o => o.Text).ToList();
            Assert.Equal(["Kept taken", "Kept taken", "Kept taken", "free"], lines);
            Assert.All(names, n => Assert.True(File.Exists("/dev/shm/" + n)));
        }
        finally
        {
            foreach (var n in names) File.Delete("/dev/shm/" + n);
        }
    }

    /// <summary>
    /// Get-ShmUsage waiting for its turn stops at once when the pipeline is stopped (Ctrl-C), not
    /// when the wait ends; told to stop on the wait's warning, it still completes its progress bar.
    /// </summary>
    [Fact]
    public void Get_ShmUsage_stops_at_once_during_a_turn_wait_and_completes_its_progress_either_way()
    {
        var r = Engine.Run(new Scenario
        {
            Steps =
            [
                new() { Script = "Import-Module $ModulePath" },
                StartHolder(8),
                new() { Script = "Get-ShmUsage", StopAfterMilliseconds = 1500 },
                new() { Script = "try { Get-ShmUsage -WarningAction Stop } catch { $_.FullyQualifiedErrorId }; $holder.HasExited" },
                new() { Script = "$holder.Kill(); $holder.WaitForExit(10000)" },
            ],
        });
        var stopped = r.Steps[2];
        Assert.Contains(stopped.Warnings, w => w.Contains("waiting up to 10 s for it before reading /dev/shm and /proc"));
        Assert.Contains(stopped.Errors, e => e.FullyQualifiedErrorId == "PipelineStopped");
        Assert.Empty(stopped.Objects);
        Assert.True(stopped.StopMilliseconds < 1000, $"the stop took {stopped.StopMilliseconds:0} ms: the wait went on");
        var warned = r.Steps[3];
        Assert.Equal(["ActionPreferenceStop,ShmTools.Commands.GetShmUsageCommand", "False"], warned.Objects.Select(o => o.Text).ToList());
        Assert.Contains(warned.Progress, p => p.ActivityId == 3 && p.RecordType == "Completed");
    }
}
