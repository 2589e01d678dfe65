using ShmTools.Core.Text;

namespace ShmTools.Tests.Text;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("torch_*", "torch_1_2_3", true)]
    [InlineData("torch_*", "Torch_1", false)]
    [InlineData("*", "", true)]
    [InlineData("psm_????????", "psm_0123abcd", true)]
    [InlineData("psm_????????", "psm_0123abc", false)]
    [InlineData("sem.[lm]*", "sem.mp-abc", true)]
    [InlineData("sem.[!lm]*", "sem.mp-abc", false)]
    [InlineData("nccl-[a-f]*", "nccl-cXYZ", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("a`[b", "a[b", true)]
    [InlineData("*job*_*", "myjob_42", true)]
    [InlineData("[unclosed", "[unclosed", true)]
    [InlineData("my seg *", "my seg 1", true)]
    public void Matches_like_a_shell(string pattern, string text, bool expected) =>
        Assert.Equal(expected, new GlobPattern(pattern).IsMatch(text));
}
