using System.Text;
using ShmTools.Core.Processes;

namespace ShmTools.Tests.Processes;

public sealed class ProcStatParserTests
{
    [Fact]
    public void Command_names_with_spaces_and_parentheses_do_not_shift_fields()
    {
        var line = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 67 18446744073709551615\n";
        Assert.True(ProcStatParser.TryParse(Encoding.ASCII.GetBytes(line), out var name, out var state, out var start));
        Assert.Equal("a) b (c)", name);
        Assert.Equal('S', state);
        Assert.Equal(987654UL, start);
    }

    [Fact]
    public void Truncated_stat_is_rejected()
    {
        Assert.False(ProcStatParser.TryParse("12 (x) S 1 2 3"u8, out _, out _, out _));
        Assert.False(ProcStatParser.TryParse("garbage"u8, out _, out _, out _));
    }

    [Fact]
    public void Own_process_parses_with_a_start_time_after_boot()
    {
        var table = new ProcessTable();
        var me = table.Get(Environment.ProcessId);
        Assert.NotNull(me);
        Assert.True(me!.IsAlive);
        Assert.True(me.StartTime > table.BootTime);
        Assert.True(me.StartTime <= DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("root", me.User);
    }
}
