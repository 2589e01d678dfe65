using ShmTools.Core.Processes;
using ShmTools.Tests.Support;

namespace ShmTools.Tests.Processes;

/// <summary>How a proc filesystem's limits are told from what it says about the running process.</summary>
public sealed class ProcVisibilityTests
{
    private const string Initial = "pid:[4026531836]", Container = "pid:[4026532417]";

    private static string Status(string nspid, string capEff = "0000000000000000", string gid = "1000\t1000\t1000\t1000", string groups = "") =>
        $"Name:\tshmtools\nUmask:\t0022\nState:\tR (running)\nGid:\t{gid}\nGroups:\t{groups}\nNSpid:\t{nspid}\nCapEff:\t{capEff}\n";

    [Fact]
    public void The_initial_pid_namespace_hides_nothing()
    {
        Assert.Null(ProcVisibilityProbe.PidNamespaceShown(Initial, Status("4242"), () => throw new InvalidOperationException("not needed")));
    }

    [Fact]
    public void A_proc_of_a_pid_namespace_of_its_own_shows_only_that_namespace()
    {
        // What a container gets: /proc mounted in its own pid namespace (NSpid has one field there).
        Assert.Equal(Container, ProcVisibilityProbe.PidNamespaceShown(Container, Status("7"), () => null));
    }

    [Fact]
    public void A_proc_of_the_initial_namespace_seen_from_a_nested_one_shows_everything()
    {
        // The host's /proc, seen by a process of a nested namespace: NSpid lists both pids, and pid 1 there is the initial namespace's.
        Assert.Null(ProcVisibilityProbe.PidNamespaceShown(Container, Status("4242\t7"), () => Initial));
        // ...unless pid 1's namespace cannot be read (no ptrace access to it) or is not the initial one.
        Assert.Equal(Container, ProcVisibilityProbe.PidNamespaceShown(Container, Status("4242\t7"), () => null));
        Assert.Equal(Container, ProcVisibilityProbe.PidNamespaceShown(Container, Status("4242\t7"), () => "pid:[4026532001]"));
    }

    [Fact]
    public void Without_a_namespace_link_nothing_can_be_told()
    {
        Assert.Null(ProcVisibilityProbe.PidNamespaceShown(null, null, () => null));
        Assert.Null(ProcVisibilityProbe.NamespaceInode("pid:[]"));
        Assert.Equal(4026531836UL, ProcVisibilityProbe.NamespaceInode(Initial));
    }

    private const string MountInfo = """
        22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw
        25 22 0:22 / /proc/sys/fs/binfmt_misc rw,relatime shared:6 - binfmt_misc binfmt_misc rw
        31 1 0:25 / /dev/shm rw,nosuid,nodev shared:9 - tmpfs tmpfs rw,size=65536k
        48 22 0:40 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw,hidepid=invisible,gid=27
        49 1 0:41 / /srv/my\040proc rw,relatime - proc proc rw,hidepid=2
        """;

    [Fact]
    public void The_mount_on_top_of_proc_gives_the_options()
    {
        Assert.Equal("rw,hidepid=invisible,gid=27", ProcVisibilityProbe.ProcMountOptions(MountInfo, "/proc"));
        Assert.Equal("rw,hidepid=2", ProcVisibilityProbe.ProcMountOptions(MountInfo, "/srv/my proc"));
        Assert.Null(ProcVisibilityProbe.ProcMountOptions(MountInfo, "/dev/shm")); // a tmpfs, not a proc
        Assert.Null(ProcVisibilityProbe.ProcMountOptions(MountInfo, "/tmp/fake-proc"));
    }

    [Theory]
    [InlineData("rw", null)]
    [InlineData("rw,hidepid=off", null)]
    [InlineData("rw,hidepid=0", null)]
    [InlineData("rw,hidepid=1", "noaccess")]
    [InlineData("rw,hidepid=noaccess", "noaccess")]
    [InlineData("rw,hidepid=2", "invisible")]
    [InlineData("rw,hidepid=invisible", "invisible")]
    [InlineData("rw,hidepid=ptraceable", "ptraceable")]
    [InlineData("rw,subset=pid", null)] // hides /proc's other files, not processes
    public void Hidepid_modes_hide_other_users_processes_from_an_ordinary_user(string options, string? hidden)
    {
        Assert.Equal(hidden, ProcVisibilityProbe.HiddenFromCaller(options, Status("7")));
    }

    [Fact]
    public void CAP_SYS_PTRACE_sees_through_hidepid_and_root_without_it_does_not()
    {
        Assert.Null(ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=invisible", Status("7", capEff: "000001ffffffffff", gid: "0\t0\t0\t0")));
        Assert.Null(ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=ptraceable", Status("7", capEff: "0000000000080000")));
        // A container's root usually lacks CAP_SYS_PTRACE (bit 19): other users' processes stay hidden.
        Assert.Equal("invisible", ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=invisible", Status("7", capEff: "00000000a80425fb", gid: "0\t0\t0\t0")));
    }

    [Fact]
    public void The_gid_option_exempts_its_group_by_filesystem_gid_or_supplementary_group()
    {
        Assert.Null(ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=invisible,gid=27", Status("7", groups: "4 27 1000")));
        Assert.Null(ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=noaccess,gid=27", Status("7", gid: "1000\t1000\t1000\t27")));
        Assert.Equal("invisible", ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=invisible,gid=27", Status("7", groups: "4 270 1000")));
        // ptraceable asks ptrace alone: the group does not help.
        Assert.Equal("ptraceable", ProcVisibilityProbe.HiddenFromCaller("rw,hidepid=ptraceable,gid=27", Status("7", groups: "27")));
    }

    [Fact]
    public void The_words_name_what_is_missing_and_the_remedy()
    {
        var v = new ProcVisibility { PidNamespace = Container, HidePid = "invisible" };
        Assert.False(v.IsComplete);
        Assert.Equal(2, v.Limits.Count);
        Assert.Equal($"Processes outside this pid namespace ({Container}) are not in /proc, so holders there (other containers, the host) may be missing. Run in the host's pid namespace for a complete view. "
            + "/proc is mounted with hidepid=invisible, so other users' processes are not listed and holders may be missing. Run as root (with CAP_SYS_PTRACE) or in the group its gid= option names for a complete view.", v.Warning);
        Assert.Null(ProcVisibility.Complete.Warning);
        Assert.Empty(ProcVisibility.Complete.Limits);
    }

    [Fact]
    public void On_this_host_the_pid_namespace_limit_is_found_exactly_when_the_tests_have_their_own()
    {
        var v = ProcVisibility.Detect();
        Assert.Equal(TestHost.InOwnPidNamespace, v.PidNamespace != null);
        if (v.PidNamespace != null) Assert.Equal(new FileInfo("/proc/self/ns/pid").LinkTarget, v.PidNamespace);
        Assert.True(ProcVisibility.Detect("/nonexistent-proc").IsComplete); // not a proc: nothing can be told
    }
}
