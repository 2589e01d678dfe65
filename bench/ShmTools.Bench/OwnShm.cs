using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Bench;

/// <summary>This process's own /dev/shm as a listing root, for the modes that time the listing alone.</summary>
internal static class OwnShm
{
    public static ShmRoot Root() =>
        new("/dev/shm", Posix.Stat("/dev/shm", followLinks: true, out var st) == 0 ? st.Device : default, null, null);

    public static readonly SegmentFilter Everything = new(new ShmQuery());
}
