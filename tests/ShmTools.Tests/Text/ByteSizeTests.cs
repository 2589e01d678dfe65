using ShmTools.Core.Text;

namespace ShmTools.Tests.Text;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("4096", 4096)]
    [InlineData("64K", 65536)]
    [InlineData("1.5GiB", 1610612736)]
    [InlineData("10MB", 10_000_000)]
    [InlineData(" 2 g ", 2147483648)]
    public void Parses_sizes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var b));
        Assert.Equal(bytes, b);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("12 parsecs")]
    [InlineData("99999999999999999999T")]
    public void Rejects_nonsense(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(4096, "4.0 KiB")]
    [InlineData(1610612736, "1.5 GiB")]
    public void Formats_for_people(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));
}
