using System.Management.Automation;
using ShmTools.Core.Liveness;

namespace ShmTools.Commands;

/// <summary>The parameters every cmdlet that judges liveness shares, bound to <see cref="LivenessOptions"/>.</summary>
public abstract class LivenessCmdletBase : PSCmdlet
{
    [Parameter]
    public TimeSpan ProbeTimeout { get; set; } = LivenessOptions.Default.ProbeTimeout;

    [Parameter]
    public TimeSpan OrphanAge { get; set; } = LivenessOptions.Default.OrphanAge;

    [Parameter]
    public int[]? IgnoreInvisibleProcess { get; set; }

    protected LivenessOptions LivenessOptions => new()
    {
        ProbeTimeout = ProbeTimeout,
        OrphanAge = OrphanAge,
        IgnoreInvisible = IgnoreInvisibleProcess ?? [],
    };
}
