using ShmTools.Core.Native;
using ShmTools.Core.Threading;

namespace ShmTools.Tests.Threading;

/// <summary>A worker found on its lead's CPU moves off it (after the patience), and keeps every CPU it may use.</summary>
public sealed class SideBySideTests
{
    private static void OnThread(Action body)
    {
        Exception? failure = null;
        var t = new Thread(() =>
        {
            try { body(); }
            catch (Exception ex) { failure = ex; }
        });
        t.Start();
        t.Join();
        if (failure != null) throw new Xunit.Sdk.XunitException("on the worker: " + failure);
    }

    [Fact]
    public void Leaving_a_cpu_moves_the_thread_off_it_and_keeps_every_cpu_allowed()
    {
        int allowed = CpuPlacement.AllowedCount();
        Assert.True(allowed >= 1, "the affinity can be read");
        OnThread(() =>
        {
            int here = CpuPlacement.Current();
            Assert.True(here >= 0);
            Assert.False(CpuPlacement.Leave(-1));
            if (allowed < 2)
            {
                Assert.False(CpuPlacement.Leave(here)); // nowhere to go: callers stop asking
                Assert.Equal(here, CpuPlacement.Current());
                return;
            }
            Assert.True(CpuPlacement.Leave(here));
            Assert.NotEqual(here, CpuPlacement.Current());
            Assert.Equal(allowed, CpuPlacement.AllowedCount());
            // A thread elsewhere is left where it is.
            int now = CpuPlacement.Current();
            Assert.True(CpuPlacement.Leave(here));
            Assert.Equal(now, CpuPlacement.Current());
        });
    }

    [Fact]
    public void A_worker_sharing_the_leads_cpu_moves_off_after_the_patience_and_not_before()
    {
        int allowed = CpuPlacement.AllowedCount();
        if (allowed < 2) return; // one CPU: nothing to show
        var apart = new SideBySide();
        apart.Note(); // the lead (this thread) notes its CPU
        int lead = CpuPlacement.Current();
        OnThread(() =>
        {
            // The scheduler may move the thread itself at any moment; an attempt it spoils is made again.
            for (int attempt = 0; attempt < 20; attempt++)
            {
                Assert.True(CpuPlacement.MoveTo(lead));
                apart.Note(); // first seen sharing: it stays
                if (CpuPlacement.Current() != lead) continue;
                apart.Note(); // well under the patience: it stays
                if (CpuPlacement.Current() != lead) continue;
                var until = DateTime.UtcNow + SideBySide.Patience + TimeSpan.FromMilliseconds(1);
                while (DateTime.UtcNow < until) Thread.SpinWait(100);
                if (CpuPlacement.Current() != lead) continue;
                apart.Note();
                Assert.NotEqual(lead, CpuPlacement.Current());
                Assert.Equal(allowed, CpuPlacement.AllowedCount());
                return;
            }
            Assert.Fail("the worker never stayed on the lead's CPU through an attempt (it moved before the patience ran out)");
        });
    }
}
