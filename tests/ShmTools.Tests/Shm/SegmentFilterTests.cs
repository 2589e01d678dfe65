using ShmTools.Core.Shm;

namespace ShmTools.Tests.Shm;

public sealed class SegmentFilterTests
{
    [Fact]
    public void Names_are_the_union_of_wildcards_and_exact_names_and_an_exact_name_is_not_a_pattern()
    {
        var f = new SegmentFilter(new ShmQuery { Names = ["torch_*"], ExactNames = new HashSet<string> { "a[1]" } });
        Assert.True(f.MatchesName("torch_1_2"));
        Assert.True(f.MatchesName("a[1]"));      // exact: the brackets are characters
        Assert.False(f.MatchesName("a1"));       // as a pattern a[1] would match a1
        Assert.False(f.MatchesName("Torch_1_2")); // case-sensitive
        Assert.True(new SegmentFilter(new ShmQuery()).MatchesName("anything"));
    }

    [Fact]
    public void Kinds_decide_which_sources_are_read()
    {
        var sysv = new SegmentFilter(new ShmQuery { Kinds = [SegmentKind.SysV] });
        Assert.False(sysv.WantsListing);
        Assert.False(sysv.WantsUnlisted);
        Assert.True(sysv.Wants(SegmentKind.SysV));
        var deleted = new SegmentFilter(new ShmQuery { Kinds = [SegmentKind.Deleted] });
        Assert.False(deleted.WantsListing);
        Assert.True(deleted.WantsUnlisted);
        Assert.True(new SegmentFilter(new ShmQuery { Kinds = [SegmentKind.Semaphore] }).WantsListing);
    }
}
