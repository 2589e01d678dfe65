using ShmTools.Core.Liveness;
using ShmTools.Core.Text;

namespace ShmTools.Tests.Text;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("500MS", 5_000_000L)]
    [InlineData("2s", 20_000_000L)]
    [InlineData("2", 20_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData("30m", 18_000_000_000L)]
    [InlineData("7d", 6_048_000_000_000L)]
    [InlineData("1w", 6_048_000_000_000L)]
    [InlineData(" 90s ", 900_000_000L)]
    [InlineData("01:30:00", 54_000_000_000L)]
    [InlineData("0.5ms", 5_000L)]
    public void Reads_what_people_write(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Duration.Parse(text));
    }

    [Theory]
    [InlineData("NaN", "not a duration")]
    [InlineData("NaNs", "not a duration")]
    [InlineData("Infinity", "not a duration")]
    [InlineData("1e300ms", "not a duration")]
    [InlineData("1e3", "not a duration")]
    [InlineData("99999999999999999999d", "too long")]
    [InlineData("1,000s", "not a duration")]
    [InlineData("-3s", "negative")]
    [InlineData("-00:01:00", "negative")]
    [InlineData("", "empty")]
    [InlineData("ms", "not a duration")]
    [InlineData("soon", "not a duration")]
    [InlineData("10y", "not a duration")]
    public void Says_why_text_is_not_a_duration_and_never_overflows(string text, string why)
    {
        Assert.False(Duration.TryParse(text, out _, out var problem));
        Assert.Contains(why, problem);
        var ex = Assert.Throws<FormatException>(() => Duration.Parse(text));
        Assert.Contains($"'{text}'", ex.Message);
        Assert.DoesNotContain("--", ex.Message);
    }

    [Theory]
    [InlineData("500ms")]
    [InlineData("1.5h")]
    [InlineData("7d")]
    [InlineData("2w")]
    [InlineData("90s")]
    [InlineData("0.1ms")]
    public void Formats_what_it_reads_back(string text)
    {
        var t = Duration.Parse(text);
        Assert.Equal(t, Duration.Parse(Duration.Format(t)));
    }

    [Fact]
    public void Probe_timeouts_shorter_than_an_answer_interval_are_refused_with_the_reason()
    {
        Assert.Contains("too short", LivenessOptions.ProbeTimeoutProblem(TimeSpan.FromTicks(2)));
        Assert.Contains("too short", LivenessOptions.ProbeTimeoutProblem(TimeSpan.FromMilliseconds(99)));
        Assert.Null(LivenessOptions.ProbeTimeoutProblem(LivenessOptions.MinimumProbeTimeout));
        Assert.Null(LivenessOptions.ProbeTimeoutProblem(LivenessOptions.Default.ProbeTimeout));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LivenessChecker(new LivenessOptions { ProbeTimeout = TimeSpan.FromTicks(2) }));
    }
}
