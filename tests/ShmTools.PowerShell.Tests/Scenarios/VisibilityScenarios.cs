using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>
/// What a scan cannot see reaches the user as a warning, and a segment nobody holds is still
/// Stale on the kernel's word: the tests run in a pid namespace of their own (tests/run), as a
/// cmdlet in a container does.
/// </summary>
public sealed class VisibilityScenarios
{
    private static bool OwnPidNamespace =>
        new FileInfo("/proc/self/ns/pid").LinkTarget is { } ns && ns != "pid:[4026531836]"
        && File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("NSpid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries).Length == 2;

    [Fact]
    public void A_pid_namespace_of_its_own_is_warned_of_and_the_kernel_still_vouches_for_a_stale_segment()
    {
        string name = Segments.Dead();
        try
        {
            var r = Engine.Run($$"""
                Import-Module $ModulePath
                $r = Test-ShmLiveness -Name '{{name}}'
                [pscustomobject]@{
                    Verdict = "$($r.Verdict)"
                    Lease = ($r.Evidence | Where-Object Kind -eq ([ShmTools.Core.Liveness.EvidenceKind]::KernelLease)).Finding
                    Complete = $r.Segment.AttachmentsComplete
                }
                """);
            StepAssert.Clean(r);
            var o = Assert.Single(r.Objects).Properties;
            Assert.Equal("Stale", o["Verdict"]);
            Assert.Equal("the kernel granted an exclusive lease: no process in any pid namespace has it open or mapped", o["Lease"]);
            if (OwnPidNamespace)
            {
                var w = Assert.Single(r.Warnings, w => w.Contains("pid namespace"));
                Assert.StartsWith("Processes outside this pid namespace (pid:[", w);
                Assert.EndsWith("Run in the host's pid namespace for a complete view.", w);
                Assert.Equal("False", o["Complete"]);
            }
            else
            {
                Assert.DoesNotContain(r.Warnings, w => w.Contains("pid namespace"));
            }
        }
        finally
        {
            Segments.Remove(name);
        }
    }
}
