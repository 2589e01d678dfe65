using ShmTools.Core.Threading;

namespace ShmTools.Tests.Threading;

public sealed class KeptThreadsTests
{
    [Fact]
    public void A_part_after_another_runs_on_the_thread_the_first_ran_on_and_parts_at_once_on_threads_apart()
    {
        var kept = new KeptThreads();
        int first = 0;
        var a = kept.Start(() => first = Environment.CurrentManagedThreadId);
        a.Join();
        a.Join(); // joined twice: handed back once
        Assert.NotEqual(Environment.CurrentManagedThreadId, first);

        // Two at once never share a thread (a thread handed back twice would be given to both).
        using var both = new Barrier(2);
        int x = 0, y = 0;
        var p = kept.Start(() => { x = Environment.CurrentManagedThreadId; both.SignalAndWait(TimeSpan.FromSeconds(10)); });
        var q = kept.Start(() => { y = Environment.CurrentManagedThreadId; both.SignalAndWait(TimeSpan.FromSeconds(10)); });
        p.Join();
        q.Join();
        Assert.NotEqual(x, y);
        Assert.Contains(first, new[] { x, y }); // the idle one was taken, not a new one made

        // Again and again (a scan per scrape): no thread is made after the first two.
        var seen = new HashSet<int>();
        for (int i = 0; i < 50; i++)
        {
            int id = 0;
            var r = kept.Start(() => id = Environment.CurrentManagedThreadId);
            r.Join();
            seen.Add(id);
        }
        Assert.Subset(new HashSet<int> { x, y }, seen);
        Assert.Equal(2, kept.Made);
    }
}
