using System.Management.Automation;

namespace ShmTools.Commands;

/// <summary>
/// One progress activity of a cmdlet: started on construction, updated with a new status, and always
/// ended with a Completed record on dispose (also on early returns, -WhatIf and errors), so no host is
/// left showing a bar. Nested activities name their parent.
/// </summary>
internal sealed class CmdletActivity : IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private bool _done;

    public CmdletActivity(Cmdlet cmdlet, int id, string activity, string status, int parentId = -1)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(id, activity, status) { ParentActivityId = parentId };
        Write();
    }

    public int Id => _record.ActivityId;

    public void Update(string status)
    {
        _record.StatusDescription = status;
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
        if (!_done) _cmdlet.WriteProgress(_record);
    }
}
