using System.Management.Automation;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>Get-ShmSegment: every shared-memory segment on the host and who holds it.</summary>
[Cmdlet(VerbsCommon.Get, "ShmSegment", HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Get-ShmSegment.md")]
[OutputType(typeof(ShmSegment))]
public sealed class GetShmSegmentCommand : PSCmdlet
{
    private readonly List<int> _pids = new();

    /// <summary>Segment names; wildcards allowed (case-sensitive).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SegmentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public SegmentKind[]? Kind { get; set; }

    /// <summary>User names or numeric uids.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Owner { get; set; }

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinimumSize { get; set; }

    /// <summary>Only segments held by these processes; binds ProcessId/Id/Pid of piped objects.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Pid")]
    public int[]? ProcessId { get; set; }

    [Parameter]
    public SwitchParameter AllNamespaces { get; set; }

    protected override void ProcessRecord()
    {
        if (ProcessId != null) _pids.AddRange(ProcessId);
    }

    protected override void EndProcessing()
    {
        var query = new ShmQuery
        {
            Names = Name ?? [],
            Kinds = Kind ?? [],
            Owners = Owner ?? [],
            MinimumSize = MinimumSize,
            ProcessIds = _pids,
            AllNamespaces = AllNamespaces.IsPresent,
        };
        foreach (var s in Inventory.Scan(this, query)) WriteObject(s);
    }
}
