using ShmTools.Core.Gpu;

namespace ShmTools.Tests.Gpu;

public sealed class ContainerIdentityTests
{
    private const string Id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";

    [Theory]
    [InlineData($"0::/system.slice/docker-{Id}.scope\n", Id, null)]
    [InlineData($"12:memory:/docker/{Id}\n11:cpu:/docker/{Id}\n", Id, null)]
    [InlineData($"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b6c4b5e_3d2a_4f6b_9c1d_2e3f4a5b6c7d.slice/cri-containerd-{Id}.scope\n", Id, "0b6c4b5e-3d2a-4f6b-9c1d-2e3f4a5b6c7d")]
    [InlineData($"0::/kubepods.slice/kubepods-pod0b6c4b5e_3d2a_4f6b_9c1d_2e3f4a5b6c7d.slice/crio-{Id}.scope\n", Id, "0b6c4b5e-3d2a-4f6b-9c1d-2e3f4a5b6c7d")]
    [InlineData($"4:pids:/kubepods/besteffort/pod0b6c4b5e-3d2a-4f6b-9c1d-2e3f4a5b6c7d/{Id}\n", Id, "0b6c4b5e-3d2a-4f6b-9c1d-2e3f4a5b6c7d")]
    [InlineData("0::/user.slice/user-1000.slice/session-3.scope\n", null, null)]
    [InlineData("0::/\n", null, null)]
    public void Container_and_pod_come_from_the_cgroup_path(string cgroup, string? container, string? pod)
    {
        var id = ContainerIdentity.FromCgroup(cgroup);
        Assert.Equal(container, id.ContainerId);
        Assert.Equal(pod, id.PodUid);
    }
}
