using ShmTools.Core.Processes;

namespace ShmTools.Tests.Processes;

/// <summary>The order the /proc pass reads processes in: largest maps first, so no worker is left with a large one at the end.</summary>
public sealed class PassOrderTests
{
    [Fact]
    public void Without_an_earlier_pass_this_process_comes_first_and_the_rest_in_pid_order()
    {
        Assert.Equal([7, 1, 5, 9], ProcessScanner.LargestFirst([1, 5, 7, 9], null, self: 7));
        Assert.Equal([1, 5, 9], ProcessScanner.LargestFirst([1, 5, 9], null, self: 7));
    }

    [Fact]
    public void After_a_pass_the_largest_come_first_and_new_ones_count_as_average()
    {
        // 1: 100, 5: 900, 9: 500 bytes last time (average 500); 3 is new, 7 (this process) too.
        (int, int)[] last = [(1, 100), (5, 900), (9, 500), (4, 500)];
        Assert.Equal([7, 5, 3, 9, 1], ProcessScanner.LargestFirst([1, 3, 5, 7, 9], last, self: 7));
        // With this process small last time, it goes by its size; the average is now 410.
        Assert.Equal([5, 9, 3, 1, 7], ProcessScanner.LargestFirst([1, 3, 5, 7, 9], [.. last, (7, 50)], self: 7));
    }

    [Fact]
    public void Every_pid_is_read_once_whatever_the_history()
    {
        var rng = new Random(5);
        for (int round = 0; round < 200; round++)
        {
            var pids = Enumerable.Range(1, rng.Next(0, 300)).Where(_ => rng.Next(3) > 0).ToList();
            var last = pids.Where(_ => rng.Next(2) == 0).Select(p => (p, rng.Next(0, 5000))).ToList();
            var ordered = ProcessScanner.LargestFirst([.. pids], last, self: rng.Next(1, 300));
            Assert.Equal(pids, ordered.Order());
        }
    }
}
