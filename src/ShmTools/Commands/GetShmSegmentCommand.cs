using System.Management.Automation;
using ShmTools.Binding;
using ShmTools.Core.Shm;

namespace ShmTools.Commands;

/// <summary>
/// Get-ShmSegment: every shared-memory segment on the host and who holds it. Segments are
/// written as each pipeline record is scanned (names as strings, pids as integers, processes
/// by their ProcessId/Id/Pid); a segment two records both find is written once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ShmSegment", HelpUri = "https://github.com/shmtools/ShmTools/blob/main/docs/help/Get-ShmSegment.md")]
[OutputType(typeof(ShmSegment))]
public sealed class GetShmSegmentCommand : StoppableCmdlet
{
    private readonly HashSet<(SegmentKind, string)> _written = new();
    private readonly HashSet<string> _warned = new();

    /// <summary>Segment names; wildcards allowed (case-sensitive). Strings and Name properties from the pipeline bind here.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

    /// <summary>
    /// Only segments held by these processes; binds ProcessId/Id/Pid of piped objects. Given but
    /// empty or null (e.g. a query that found no process) it selects nothing, never everything.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Pid")]
    [AllowNull]
    [AllowEmptyCollection]
    public int[]? ProcessId { get; set; }

    [Parameter]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Processes that cannot be read but are known to hold no shared memory: not warned about.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int[]? IgnoreInvisibleProcess { get; set; }

    private bool _nameOnCommandLine, _pidsOnCommandLine;

    protected override void BeginProcessing()
    {
        _nameOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Name));
        _pidsOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(ProcessId));
    }

    protected override void ProcessRecord()
    {
        // MyInvocation.BoundParameters keeps a pipeline parameter's key after its record, while
        // the value goes back to null: a pid list is this record's if it is not null now.
        bool pidsGiven = _pidsOnCommandLine ? true : ProcessId != null;
        if (ProcessId?.Select(ShmQuery.ProcessIdProblem).FirstOrDefault(p => p != null) is { } badPid)
        {
            WriteError(new ErrorRecord(new ArgumentException($"-ProcessId: {badPid}."), "InvalidProcessId", ErrorCategory.InvalidArgument, ProcessId));
            return;
        }
        if (_pidsOnCommandLine && ProcessId is not { Length: > 0 } || !_pidsOnCommandLine && ProcessId is { Length: 0 })
        {
            WriteVerbose("-ProcessId is empty: no process, so no segment.");
            return;
        }
        // PowerShell binds a piped object to every pipeline parameter it can: a process (or a pid)
        // fills ProcessId and also Name (its process name, or its text). A record that brought a
        // pid is a question about that process, so its Name is not a segment name.
        bool nameIsTheProcess = !_nameOnCommandLine && !_pidsOnCommandLine && pidsGiven;
        string[] names = nameIsTheProcess ? [] : Name ?? [];
        var query = new ShmQuery
        {
            Names = names,
            Kinds = Kind ?? [],
            Owners = Owner ?? [],
            MinimumSize = MinimumSize,
            ProcessIds = pidsGiven ? ProcessId! : [],
            AllNamespaces = AllNamespaces.IsPresent,
            IgnoreInvisible = IgnoreInvisibleProcess ?? [],
        };
        // Written as they are made: on a large host the first segments are out before the last are read.
        foreach (var s in Inventory.Stream(this, query, StopToken, _warned))
            if (_written.Add((s.Kind, s.Path))) WriteObject(s);
    }
}
