namespace ShmTools.Core.Liveness;

/// <summary>
/// The owner's side of the handshake: a background thread that answers probes on a mapped
/// header within <see cref="Interval"/>. Probers wait longer than that before they conclude.
/// </summary>
public sealed unsafe class HandshakeResponder : IDisposable
{
    private readonly byte* _header;
    private readonly Thread _thread;
    private volatile bool _stop;

    public HandshakeResponder(byte* header, TimeSpan? interval = null)
    {
        _header = header;
        Interval = interval ?? TimeSpan.FromMilliseconds(50);
        _thread = new Thread(Run) { IsBackground = true, Name = "shmtools-lease-responder" };
        _thread.Start();
    }

    public TimeSpan Interval { get; }

    /// <summary>How many probes this responder answered.</summary>
    public long Answered { get; private set; }

    private void Run()
    {
        while (!_stop)
        {
            if (LeaseHeader.Answer(_header)) Answered++;
            Thread.Sleep(Interval);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
