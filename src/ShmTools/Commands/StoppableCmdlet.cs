using System.Management.Automation;

namespace ShmTools.Commands;

/// <summary>
/// A cmdlet whose Core calls stop when the user presses Ctrl-C: <see cref="StopToken"/> is passed
/// to every scan, probe and handshake wait, and is cancelled by <see cref="StopProcessing"/>.
/// </summary>
public abstract class StoppableCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled when the pipeline is stopped.</summary>
    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs a Core call; a cancel it honoured ends the pipeline as PowerShell expects.</summary>
    protected T Run<T>(Func<CancellationToken, T> call)
    {
        try
        {
            return call(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Releases what the cmdlet holds across its records; called once, when the pipeline ends or stops.</summary>
    protected virtual void Release()
    {
    }

    public void Dispose()
    {
        Release();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
