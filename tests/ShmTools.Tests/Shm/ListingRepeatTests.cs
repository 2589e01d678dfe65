using ShmTools.Core.Native;
using ShmTools.Core.Shm;

namespace ShmTools.Tests.Shm;

/// <summary>One directory read can show a name twice (its file renamed away and back while the read ran): the listing keeps one.</summary>
public sealed class ListingRepeatTests
{
    private static readonly ShmRoot Own = new("/dev/shm", new DeviceId(0, 42), null, null);
    private static readonly ShmRoot Other = new("/proc/7/root/dev/shm", new DeviceId(0, 43), "mnt:[1]", 7);

    private static PosixEntry Entry(ShmRoot root, string name, ulong inode, int changedSecond, byte[]? raw = null)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + changedSecond);
        return new PosixEntry(root, name, new FileStatus(root.Device, inode, UnixFileType.RegularFile, 0x180, 0, 0, 1, 4096, 4096, t, t, t, null), raw);
    }

    [Fact]
    public void A_name_read_twice_is_kept_once_as_its_latest_reading_and_nothing_else_is_merged()
    {
        var listing = new PosixListing();
        listing.Entries.AddRange([
            Entry(Own, "b", 2, 0), Entry(Own, "a", 1, 0), Entry(Own, "b", 3, 5), Entry(Other, "b", 9, 0),
            Entry(Own, "x\uFFFD", 4, 0, [(byte)'x', 0xFF]), Entry(Own, "x\uFFFD", 5, 0, [(byte)'x', 0xFE]),
            Entry(Own, "sem.s", 6, 0), Entry(Own, "b", 2, 1),
        ]);
        listing.SortAndDropRepeats();
        var kept = listing.Entries.Select(e => $"{e.Root.Namespace ?? "own"}:{e.Name}:{e.Status.Inode}").ToList();
        // "b" three times in the own root: the reading with the latest change time (inode 3) stays;
        // the other root's "b" and the two names that differ only in non-UTF-8 bytes stay apart.
        Assert.Equal(["own:a:1", "own:b:3", "own:x\uFFFD:5", "own:x\uFFFD:4", "mnt:[1]:b:9", "own:sem.s:6"], kept);
    }
}
