using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>
/// A pipeline that delivers nothing, or input that does not bind, must judge and clean nothing:
/// only a call with no pipeline and no names means "every segment on this host".
/// </summary>
public sealed class PipelineSafetyTests
{
    [Fact]
    public void An_empty_or_unbindable_pipeline_cleans_nothing_and_a_named_call_still_cleans()
    {
        // Stale by every rule: its name records an owner pid that does not exist in the test's pid namespace.
        string name = $"torch_4000000_{Random.Shared.Next(1, 1 << 30)}_0";
        File.WriteAllBytes("/dev/shm/" + name, new byte[4096]);
        try
        {
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new() { Script = "Import-Module $ModulePath" },
                    new() { Script = "@() | Clear-StaleShm -Force" },
                    new() { Script = "$null = @() | Clear-StaleShm -Force -Confirm:$false; [IO.File]::Exists('/dev/shm/" + name + "')" },
                    new() { Script = "Get-ShmSegment -Name 'no-such-segment-*' | Clear-StaleShm -Force" },
                    new() { Script = "Test-ShmLiveness -Name 'no-such-segment-*' | Clear-StaleShm -Force" },
                    new() { Script = "[IO.FileInfo[]]@() | Clear-StaleShm -Force" },
                    new() { Script = "[pscustomobject]@{ Size = 1 } | Clear-StaleShm -Force" },
                    new() { Script = "[IO.File]::Exists('/dev/shm/" + name + "')" },
                    new() { Script = "Clear-StaleShm -Name '" + name + "' -Force | ForEach-Object Action" },
                ],
            });
            StepAssert.Clean(r.Steps[0]);
            foreach (var i in new[] { 1, 3, 4, 5 })
            {
                StepAssert.Clean(r.Steps[i]);
                Assert.Empty(r.Steps[i].Objects);
            }
            Assert.Equal("True", Assert.Single(r.Steps[2].Objects).Text);
            // An object that is no segment and has no Name is at most a name that is not found; nothing else happens.
            Assert.All(r.Steps[6].Errors, e => Assert.Equal("ObjectNotFound", e.Category));
            Assert.Empty(r.Steps[6].Objects);
            Assert.Equal("True", Assert.Single(r.Steps[7].Objects).Text);
            Assert.Equal("Removed", Assert.Single(r.Steps[8].Objects).Text);
            Assert.False(File.Exists("/dev/shm/" + name));
        }
        finally
        {
            File.Delete("/dev/shm/" + name);
        }
    }
}
