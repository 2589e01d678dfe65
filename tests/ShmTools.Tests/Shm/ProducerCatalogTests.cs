using ShmTools.Core.Shm;

namespace ShmTools.Tests.Shm;

public sealed class ProducerCatalogTests
{
    [Theory]
    [InlineData("torch_1234_987654_0", SegmentKind.Posix, "pytorch", 1234)]
    [InlineData("torch_1234_987654", SegmentKind.Deleted, "pytorch", 1234)]
    [InlineData("psm_0a1b2c3d", SegmentKind.Posix, "python-multiprocessing", null)]
    [InlineData("sem.mp-abc_1234", SegmentKind.Semaphore, "python-multiprocessing", null)]
    [InlineData("sem.loky-4321-xyz", SegmentKind.Semaphore, "loky", 4321)]
    [InlineData("nccl-AbC123", SegmentKind.Posix, "nccl", null)]
    [InlineData("paddle_777_3_123456", SegmentKind.Posix, "paddle", 777)]
    [InlineData("vllm_offload_123e4567-e89b-12d3-a456-426614174000.mmap", SegmentKind.Posix, "vllm", null)]
    [InlineData("nvidia_dali_a1B2c3", SegmentKind.Deleted, "dali", null)]
    [InlineData("vader_segment.node1.1a2b0001.3", SegmentKind.Posix, "openmpi", null)]
    [InlineData("sm_segment.node1.1000.1a2b0001.0", SegmentKind.Posix, "openmpi", null)]
    [InlineData("cuda.shm.0.5f.1", SegmentKind.Posix, "cuda", null)]
    [InlineData("__KMP_REGISTERED_LIB_5555_1000", SegmentKind.Posix, "libomp", 5555)]
    [InlineData("pulse-shm-1234567", SegmentKind.Posix, "pulseaudio", null)]
    [InlineData(".org.chromium.Chromium.aB3dE9", SegmentKind.Deleted, "chromium", null)]
    [InlineData("1234567890", SegmentKind.Posix, "cyberrt", null)]
    public void Recognises_the_common_producers(string name, SegmentKind kind, string producer, int? pid)
    {
        var m = ProducerCatalog.BuiltIn.Match(name, kind);
        Assert.NotNull(m);
        Assert.Equal(producer, m!.Value.Producer);
        Assert.Equal(pid, m.Value.Pid);
    }

    [Theory]
    [InlineData("my-own-segment", SegmentKind.Posix)]
    [InlineData("torch_x_y", SegmentKind.Posix)]
    [InlineData("psm_0a1b2c3d", SegmentKind.Semaphore)]
    [InlineData("psm_0a1b2c3d\n", SegmentKind.Posix)]
    [InlineData("torch_1234_987654_0\n", SegmentKind.Posix)]
    public void Unknown_names_have_no_producer(string name, SegmentKind kind) =>
        Assert.Null(ProducerCatalog.BuiltIn.Match(name, kind));

    [Fact]
    public void A_site_table_extends_the_catalog_and_bad_lines_are_named()
    {
        var site = ProducerCatalog.Parse(new StringReader("# ours\nmyjob\tposix\tmyjob_\t^myjob_(?<pid>\\d+)$\n"), "site.tsv");
        Assert.Equal(new ProducerMatch("myjob", 42), site.Match("myjob_42", SegmentKind.Posix));

        var ex = Assert.Throws<FormatException>(() => ProducerCatalog.Parse(new StringReader("a\tposix\tb\n\nx\tbogus\t-\t.*\n"), "site.tsv"));
        Assert.StartsWith("site.tsv:1:", ex.Message);
        ex = Assert.Throws<FormatException>(() => ProducerCatalog.Parse(new StringReader("# c\nx\tbogus\t-\t.*\n"), "site.tsv"));
        Assert.StartsWith("site.tsv:2: unknown kind 'bogus'", ex.Message);
        ex = Assert.Throws<FormatException>(() => ProducerCatalog.Parse(new StringReader("x\tposix\t-\t(unclosed\n"), "site.tsv"));
        Assert.StartsWith("site.tsv:1: bad regular expression", ex.Message);
    }

    [Theory]
    [InlineData(@"^\d{1,20}$", "12345", true)]
    [InlineData(@"^\d{1,20}$", "a12345", false)]
    [InlineData(@"^\d{1,20}$", "\u0663\u0031", true)]    // \d is any Unicode decimal digit (here ARABIC-INDIC THREE)
    [InlineData(@"^[0-9]+$", "\u0663", false)]
    [InlineData(@"^[0-9]+x$", "7x", true)]
    [InlineData(@"^\d*x$", "x", true)]          // the digit is optional: no first-character shortcut
    [InlineData(@"^\d{0,3}x$", "x", true)]
    [InlineData(@"^a?b$", "b", true)]
    [InlineData(@"^ab|^cd", "cd", true)]        // an alternation: no shortcut
    [InlineData(@"^job\d+$", "job42", true)]
    [InlineData(@"^job\d+$", "Job42", false)]
    [InlineData(@"^(?i)job\d+$", "JOB42", true)] // inline options: no shortcut
    [InlineData(@"\d+$", "x42", true)]           // not anchored: no shortcut
    public void A_rule_without_a_prefix_matches_exactly_what_its_regex_matches(string regex, string name, bool matches)
    {
        var site = ProducerCatalog.Parse(new StringReader($"rt\tposix\t-\t{regex}\n"), "site.tsv");
        Assert.Equal(matches, site.Match(name, SegmentKind.Posix) != null);
        Assert.Null(site.Match("", SegmentKind.Posix));
    }

    [Theory]
    [InlineData("^a$", "^a\\z")]
    [InlineData("^a\\$b$", "^a\\$b\\z")]
    [InlineData("^[$]x$|^y$", "^[$]x\\z|^y\\z")]
    [InlineData("^[]$]$", "^[]$]\\z")]
    [InlineData("^[^]$]+$", "^[^]$]+\\z")]
    [InlineData("^a\\\\$", "^a\\\\\\z")]
    public void A_rule_s_end_anchor_means_the_end_of_the_name(string rule, string compiled) =>
        Assert.Equal(compiled, ProducerCatalog.EndMeansEnd(rule));
    [Fact]
    public void The_first_character_index_finds_what_trying_every_rule_in_order_finds()
    {
        // Names built from the built-in prefixes, a few plain words, digits and non-ASCII starts,
        // asked as every kind: the indexed catalog must answer exactly as the rules tried in order.
        var catalog = ProducerCatalog.BuiltIn;
        var rng = new Random(11);
        string[] starts = [.. catalog.Rules.Select(r => r.Prefix).Where(p => p.Length > 0), "", "1", "x", "S", "sem.", "\u00e9t\u00e9", "\U0001F600", "torch", "_"];
        string[] tails = ["", "0", "1234_5678_0", "123", "abc-1", "1000.1a2b0001.0", "5555_1000", "9_9_9",
            "007_1", "0_1", "99999999999_1", "2147483647_1", "\u0663\u0664_1", "12\u0663_5", "12_\u0663", "42-x", "42-"];
        foreach (var kind in Enum.GetValues<SegmentKind>())
            for (int n = 0; n < 3000; n++)
            {
                string name = starts[rng.Next(starts.Length)] + tails[rng.Next(tails.Length)];
                ProducerMatch? expected = null;
                foreach (var rule in catalog.Rules)
                {
                    if (!rule.Kinds.Contains(kind) || !name.StartsWith(rule.Prefix, StringComparison.Ordinal)) continue;
                    var m = rule.Pattern.Match(name);
                    if (!m.Success) continue;
                    var g = m.Groups["pid"];
                    expected = new ProducerMatch(rule.Producer, g.Success && int.TryParse(g.ValueSpan, out int pid) && pid > 0 ? pid : null);
                    break;
                }
                Assert.Equal(expected, catalog.Match(name, kind));
            }
    }

    [Theory]
    [InlineData(@"^torch_(?<pid>\d+)_\d+(_\d+)?\z", "torch_", true)]
    [InlineData(@"^sem\.loky-(?<pid>\d+)-.*\z", "sem.loky-", true)]
    [InlineData(@"^__KMP_REGISTERED_LIB_(?<pid>\d+)(_\d+)?\z", "__KMP_REGISTERED_LIB_", true)]
    [InlineData(@"^job(?<pid>\d+)\z", "job", true)]
    [InlineData(@"^job(?<pid>\d+)\d\z", "job", false)]          // a digit may follow: the group gives one back
    [InlineData(@"^job(?<pid>\d+)_?\d*\z", "job", false)]       // an optional literal
    [InlineData(@"^job(?<pid>\d+)(\d+)?\z", "job", false)]      // an optional group that begins with a digit
    [InlineData(@"^job(?<pid>\d+)(_\d+)?_\z", "job", false)]    // something after the optional group
    [InlineData(@"^jo.(?<pid>\d+)_\z", "jo.", false)]            // the prefix is not the literal text
    [InlineData(@"^job_(?<pid>\d+)_\z", "job", false)]           // more literal text than the prefix
    [InlineData(@"^job(?<pid>\d+)_|^x\z", "job", false)]         // alternation
    [InlineData(@"^job(?<pid>\d+)\w\z", "job", false)]          // a class that holds digits
    [InlineData(@"^x_(?<pid>\d+)_(?<pid>\d+)\z", "x_", false)]   // the group twice: the last capture counts
    [InlineData(@"^y_(?<pid>\d+)_(?<-pid>z)?\z", "y_", false)]   // a balancing group can undo the capture
    [InlineData(@"^y_(?<pid>\d+)_\k<pid>\z", "y_", false)]       // a reference back to it
    [InlineData(@"^y_(?<pid>\d+)_\1\z", "y_", false)]
    public void The_pid_is_read_after_the_prefix_only_where_the_pattern_leaves_it_the_whole_run(string pattern, string prefix, bool fast) =>
        Assert.Equal(fast, ProducerCatalog.PidFollowsPrefix(pattern, prefix));

    [Fact]
    public void Every_built_in_rule_with_a_pid_reads_it_after_its_prefix()
    {
        // The rules a torch-heavy host meets most: their pids come without a Match object.
        foreach (var rule in ProducerCatalog.BuiltIn.Rules.Where(r => r.Pattern.GroupNumberFromName("pid") >= 0))
            Assert.True(ProducerCatalog.PidFollowsPrefix(rule.Pattern.ToString(), rule.Prefix), rule.Producer + ": " + rule.Pattern);
    }

    [Fact]
    public void A_site_rule_whose_pid_group_is_not_the_plain_digit_run_reads_it_as_its_regex_does()
    {
        var catalog = ProducerCatalog.Parse(new StringReader(
            "twice\tposix\tx_\t^x_(?<pid>\\d+)_(?<pid>\\d+)$\n" +
            "undone\tposix\ty_\t^y_(?<pid>\\d+)_(?<-pid>z)?$\n" +
            "plain\tposix\tp_\t^p_(?<pid>\\d+)_.*$\n"), "site.tsv");
        Assert.Equal(new ProducerMatch("twice", 34), catalog.Match("x_12_34", SegmentKind.Posix));
        Assert.Equal(new ProducerMatch("undone", null), catalog.Match("y_12_z", SegmentKind.Posix));
        Assert.Equal(new ProducerMatch("undone", 12), catalog.Match("y_12_", SegmentKind.Posix));
        Assert.Equal(new ProducerMatch("plain", 7), catalog.Match("p_7_x", SegmentKind.Posix));
    }
}
