using System.Management.Automation;

namespace ShmTools.Commands;

/// <summary>
/// One progress activity of a cmdlet: started on construction, updated with a new status, and always
/// ended with a Completed record on dispose (also on early returns, -WhatIf and errors), so no host is
/// left showing a bar. Nested activities name their parent. A new status is written at once; a
/// moving count under the same status (the current operation) at most four times a second, as a
/// console redraws its bars no more often, so a long pipeline does not write a record per item.
/// </summary>
internal sealed class CmdletActivity : IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private readonly System.Diagnostics.Stopwatch _sinceWrite = new();
    private bool _done;

    private const int CountEveryMilliseconds = 250;

    public CmdletActivity(Cmdlet cmdlet, int id, string activity, string status, int parentId = -1, string? currentOperation = null)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(id, activity, status) { ParentActivityId = parentId, CurrentOperation = currentOperation };
        Write();
    }

    public int Id => _record.ActivityId;

    public void Update(string status, string? currentOperation = null)
    {
        bool sameStatus = status == _record.StatusDescription;
        _record.StatusDescription = status;
        _record.CurrentOperation = currentOperation;
        if (sameStatus && _sinceWrite.ElapsedMilliseconds < CountEveryMilliseconds) return;
        Write();
    }

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _record.RecordType = ProgressRecordType.Completed;
        try { _cmdlet.WriteProgress(_record); }
        catch (PipelineStoppedException) { } // stopped (Ctrl-C): the host clears its bars itself
        catch (InvalidOperationException) { } // written from outside the pipeline thread
    }

    private void Write()
    {
        if (_done) return;
        _cmdlet.WriteProgress(_record);
        _sinceWrite.Restart();
    }
}
