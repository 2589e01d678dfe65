using ShmTools.Core.Cleanup;
using ShmTools.Core.Gpu;
using ShmTools.Core.Liveness;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Processes;
using ShmTools.Core.Profiles;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Tests.Text;

public sealed class EnumWordsTests
{
    [Fact]
    public void Words_are_the_contract_s_words()
    {
        Assert.Equal(["posix", "sysv", "semaphore", "deleted"], EnumWords.All<SegmentKind>());
        Assert.Equal("would-remove", EnumWords.Word(CleanupAction.WouldRemove));
        Assert.Equal("greedy-by-size", EnumWords.Word(PlanStrategy.GreedyBySize));
        Assert.Equal("use-count-in-place", EnumWords.Word(PlanStrategy.UseCountInPlace));
        Assert.Equal("nvidia-smi", EnumWords.Word(GpuSource.NvidiaSmi));
        Assert.Equal("Stale", EnumWords.Word(Verdict.Stale));
        Assert.Equal("map", EnumWords.Word(AttachmentKind.Map));
        Assert.Equal("gpu", EnumWords.Word(DeviceKind.Gpu));
    }

    [Theory]
    [InlineData("greedy-by-size", PlanStrategy.GreedyBySize)]
    [InlineData("GREEDY-BY-SIZE", PlanStrategy.GreedyBySize)]
    [InlineData("GreedyBySize", PlanStrategy.GreedyBySize)]
    [InlineData(" auto ", PlanStrategy.Auto)]
    public void Parses_the_word_or_the_name_in_any_case(string text, PlanStrategy expected)
    {
        Assert.True(EnumWords.TryParse<PlanStrategy>(text, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("greedy")]
    [InlineData("auto,greedy-by-size")]
    public void Refuses_numbers_and_unknown_words_listing_the_valid_ones(string? text)
    {
        Assert.False(EnumWords.TryParse<PlanStrategy>(text, out _));
        var ex = Assert.Throws<FormatException>(() => EnumWords.Parse<PlanStrategy>(text));
        Assert.Contains("auto, use-count, use-count-in-place, greedy-by-size", ex.Message);
    }

    [Fact]
    public void Every_word_of_every_public_enum_parses_back_to_its_value()
    {
        void RoundTrip<T>() where T : struct, Enum
        {
            foreach (var v in Enum.GetValues<T>()) Assert.Equal(v, EnumWords.Parse<T>(EnumWords.Word(v)));
            Assert.Equal(Enum.GetValues<T>().Length, EnumWords.All<T>().Distinct().Count());
        }
        RoundTrip<SegmentKind>(); RoundTrip<AttachmentKind>(); RoundTrip<EvidenceKind>(); RoundTrip<CleanupAction>();
        RoundTrip<Verdict>(); RoundTrip<OwnerState>(); RoundTrip<DeviceKind>(); RoundTrip<PlanStrategy>(); RoundTrip<GpuSource>();
    }

    [Fact]
    public void Parses_for_a_type_known_only_at_run_time()
    {
        Assert.True(EnumWords.TryParse(typeof(GpuSource), "nvidia-smi", out var v));
        Assert.Equal(GpuSource.NvidiaSmi, v);
        Assert.False(EnumWords.TryParse(typeof(GpuSource), "2", out _));
        Assert.Equal("auto, nvml, nvidia-smi, hami", EnumWords.List(typeof(GpuSource)));
    }
}
