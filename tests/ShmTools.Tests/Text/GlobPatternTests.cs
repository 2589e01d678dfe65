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

    [Theory]
    [InlineData("torch_1", false)]
    [InlineData("x[", false)]
    [InlineData("a]b", false)]
    [InlineData("[unclosed", false)]
    [InlineData("[a-z", false)]
    [InlineData("torch_*", true)]
    [InlineData("psm_?", true)]
    [InlineData("sem.[lm]x", true)]
    [InlineData("[]]", true)]
    [InlineData("a\\*b", true)]
    [InlineData("a`[b", true)]
    public void Knows_a_pattern_from_one_exact_name(string pattern, bool wildcards) =>
        Assert.Equal(wildcards, new GlobPattern(pattern).HasWildcards);

    [Fact]
    public void An_unclosed_bracket_is_an_exact_name_reported_when_missing() =>
        Assert.Equal(["x["], GlobPattern.MissingExactNames(["x[", "y[a]", "z*"], ["other"]));
}
