namespace ShmTools.Core.Threading;

/// <summary>
/// Threads a scan's parallel parts run on, kept parked between scans instead of made anew for
/// each: making, starting and joining a thread costs about 0.1 ms of this process's CPU, twice a
/// scan, and a process that scans again and again (an exporter, a PowerShell session, a cleanup)
/// paid it every time. Unlike the runtime's pool, no thread here is ever busy with other work, so
/// a part starts at once. No more are kept than were ever running at once.
/// </summary>
internal sealed class KeptThreads
{
    /// <summary>The threads of this process's scans.</summary>
    public static KeptThreads Shared { get; } = new();

    private readonly Stack<Worker> _idle = new();
    private int _made;

    /// <summary>How many threads were made so far.</summary>
    public int Made => Volatile.Read(ref _made);

    /// <summary>Runs <paramref name="work"/> on a kept thread (a new one when none is idle); it must not throw.</summary>
    public Running Start(Action work)
    {
        Worker? w;
        lock (_idle) _idle.TryPop(out w);
        w ??= new Worker(this, Interlocked.Increment(ref _made));
        w.Give(work);
        return new Running(w);
    }

    /// <summary>One part running; <see cref="Join"/> waits for it to end (again and again, if need be).</summary>
    public readonly struct Running
    {
        private readonly Worker _worker;

        internal Running(Worker worker) => _worker = worker;

        public void Join() => _worker.WaitDone();
    }

    internal sealed class Worker
    {
        private readonly KeptThreads _owner;
        private readonly SemaphoreSlim _go = new(0, 1);
        private readonly ManualResetEventSlim _done = new(false);
        private Action? _work;
        private bool _back = true; // idle, or handed back: a part joined twice is handed back once

        public Worker(KeptThreads owner, int number)
        {
            _owner = owner;
            // Started with no execution context of its maker's: a kept thread must not keep a caller's async-local state alive.
            new Thread(Loop) { IsBackground = true, Name = "shmtools-worker-" + number }.UnsafeStart();
        }

        public void Give(Action work)
        {
            _work = work;
            _back = false;
            _done.Reset();
            _go.Release();
        }

        /// <summary>Waits for the part to end; the thread is then idle again, for the next part.</summary>
        public void WaitDone()
        {
            _done.Wait();
            lock (_owner._idle)
                if (!_back)
                {
                    _back = true;
                    _owner._idle.Push(this);
                }
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                var work = _work!;
                _work = null;
                work();
                _done.Set();
            }
        }
    }
}
