using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using ShmTools.Core.Native;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Tests.Text;

/// <summary>The word-packed multikey sort puts strings in exactly the order string.CompareOrdinal does, for any strings.</summary>
public sealed class OrdinalOrderTests
{
    // Code units where packing could go wrong: NUL (the padding value), the top of a 16-bit unit,
    // surrogates of both halves, and a few ordinary letters so that prefixes repeat.
    private static readonly Gen<string> Strings =
        Gen.ArrayOf(Gen.OneOf(
            Gen.Elements('\0', '\u0001', 'a', 'b', '_', '\u00ff', '\u7fff', '\u8000', '\ud800', '\udfff', '\ufffd', '\uffff'),
            Gen.Choose(0, 0xFFFF).Select(i => (char)i))).Select(cs => new string(cs));

    private static IEnumerable<string> Ordered(IReadOnlyList<string> strings) => OrdinalOrder.Of(strings).Select(i => strings[i]);

    [Fact]
    public void Any_strings_come_out_in_ordinal_order_each_exactly_once()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Strings)), strings =>
        {
            var order = OrdinalOrder.Of(strings);
            var expected = strings.Order(StringComparer.Ordinal).ToArray();
            bool permutation = order.Order().SequenceEqual(Enumerable.Range(0, strings.Length));
            return (permutation && order.Select(i => strings[i]).SequenceEqual(expected, StringComparer.Ordinal))
                .Label($"[{string.Join(", ", strings.Select(s => string.Join(" ", s.Select(c => ((int)c).ToString("x4")))))}]");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Long_shared_prefixes_and_lengths_on_word_boundaries_sort_as_ordinal()
    {
        var rng = new Random(7);
        string prefix = new('p', 37);
        var strings = Enumerable.Range(0, 5000).Select(i => (i % 5) switch
        {
            0 => prefix + i,
            1 => prefix[..(i % 37)],            // every length of the prefix: many end on a word boundary
            2 => "torch_" + rng.Next(1, 99999) + "_" + rng.Next(),
            3 => prefix + "\0" + i,             // an embedded NUL sorts before any other code unit
            _ => "sem.mp-" + (char)rng.Next(0xD800, 0xE000) + i,
        }).ToList();
        Assert.Equal(strings.Order(StringComparer.Ordinal), Ordered(strings));
    }

    [Fact]
    public void Hostile_inputs_stay_fast_and_exact()
    {
        // All equal; sorted and reversed; one long common prefix with a distinguishing tail; an
        // organ pipe (the classic bad case of median-of-three pivots).
        string longPrefix = new('x', 250);
        var inputs = new List<List<string>>
        {
            Enumerable.Repeat("same-name", 20000).ToList(),
            Enumerable.Range(0, 20000).Select(i => i.ToString("d8")).ToList(),
            Enumerable.Range(0, 20000).Select(i => (20000 - i).ToString("d8")).ToList(),
            Enumerable.Range(0, 20000).Select(i => longPrefix + i).ToList(),
            Enumerable.Range(0, 20000).Select(i => (i < 10000 ? i : 20000 - i).ToString("d8")).ToList(),
        };
        foreach (var strings in inputs)
        {
            var sw = Stopwatch.StartNew();
            var ordered = Ordered(strings).ToList();
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"sorting {strings.Count} strings took {sw.Elapsed}");
            Assert.Equal(strings.Order(StringComparer.Ordinal), ordered);
        }
    }

    private static readonly ShmRoot[] Roots =
    [
        new("/dev/shm", new DeviceId(0, 42), null, null),
        new("/proc/7/root/dev/shm", new DeviceId(0, 43), "mnt:[1]", 7),
        new("/proc/9/root/dev/shm", new DeviceId(0, 44), "mnt:[0]", 9),
    ];

    /// <summary>A listing as read: entries of three roots, names that repeat, and names shown alike that differ in raw bytes.</summary>
    private static List<PosixEntry> Listing(int count, int seed)
    {
        var rng = new Random(seed);
        string[] stems = ["torch_1_", "sem.mp-", "psm_", "x\uFFFD", "sem.", ""];
        return Enumerable.Range(0, count).Select(i =>
        {
            var root = Roots[rng.Next(Roots.Length)];
            string name = stems[rng.Next(stems.Length)] + rng.Next(0, 40);
            byte[]? raw = name.Contains('\uFFFD') ? [(byte)'x', (byte)rng.Next(0x80, 0x100)] : null;
            var t = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
            return new PosixEntry(root, name, new FileStatus(root.Device, (ulong)i, UnixFileType.RegularFile, 0x180, 0, 0, 1, 0, 0, t, t, t, null), raw);
        }).ToList();
    }

    // Entries equal in every key may come in either order; each key's run must match.
    private static string Key(PosixEntry e) => $"{(int)e.Kind}|{e.Root.Namespace}|{e.Name}|{Convert.ToHexString(e.RawName ?? [])}";

    private static IEnumerable<string> ExpectedKeys(List<PosixEntry> entries)
    {
        var expected = entries.ToList();
        expected.Sort((a, b) => SegmentOrder.Compare(a, b) is var c and not 0 ? c : a.RawName.AsSpan().SequenceCompareTo(b.RawName));
        return expected.Select(Key);
    }

    [Fact]
    public void A_listing_sorts_as_the_inventory_orders_segments_then_by_raw_bytes()
    {
        var entries = Listing(3000, 3);
        var sorted = entries.ToList();
        var order = PosixListing.Sort(sorted);
        Assert.Equal(ExpectedKeys(entries), sorted.Select(Key));
        Assert.Equal(entries.Select(e => e.Status.Inode).Order(), sorted.Select(e => e.Status.Inode).Order());
        // The order returned says where each entry came from.
        Assert.Equal(sorted, order.Select(i => entries[i]));
    }

    [Fact]
    public void The_last_order_is_taken_for_a_listing_read_alike_and_a_changed_one_is_sorted_anew()
    {
        var entries = Listing(3000, 5);
        var last = PosixListing.Sort(entries.ToList());

        var again = entries.ToList();
        Assert.Same(last, PosixListing.Sort(again, last));
        Assert.Equal(ExpectedKeys(entries), again.Select(Key));

        // As many entries, one name changed: the old order no longer sorts them.
        var changed = entries.ToList();
        int at = Array.IndexOf(last, 0) == 0 ? 1 : 0;
        changed[last[at]] = changed[last[at]] with { Name = "zzz-moved" };
        var resorted = changed.ToList();
        Assert.NotSame(last, PosixListing.Sort(resorted, last));
        Assert.Equal(ExpectedKeys(changed), resorted.Select(Key));

        // Fewer entries: the old order is not even tried.
        var fewer = entries.Take(2999).ToList();
        var sortedFewer = fewer.ToList();
        Assert.NotSame(last, PosixListing.Sort(sortedFewer, last));
        Assert.Equal(ExpectedKeys(fewer), sortedFewer.Select(Key));
    }

    [Fact]
    public void Whatever_order_is_offered_the_listing_comes_out_sorted_and_whole()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 400)), Arb.From(Gen.Choose(0, 1_000_000)), (count, seed) =>
        {
            var entries = Listing(count, seed);
            var rng = new Random(seed);
            // Offered: another listing's order, a random permutation, the right one, nonsense of the
            // right length, or the right one with an entry taken twice (and so another left out).
            var right = PosixListing.Sort(entries.ToList());
            int[] offered = (seed % 5) switch
            {
                0 => PosixListing.Sort(Listing(count, seed + 1)),
                1 => Enumerable.Range(0, count).OrderBy(_ => rng.Next()).ToArray(),
                2 => right,
                3 => Enumerable.Range(0, count).Select(_ => rng.Next(-2, count + 2)).ToArray(),
                _ => count > 1 ? [right[0], .. right[..^1]] : right,
            };
            var sorted = entries.ToList();
            var order = PosixListing.Sort(sorted, offered);
            return (ExpectedKeys(entries).SequenceEqual(sorted.Select(Key))
                    && entries.Select(e => e.Status.Inode).Order().SequenceEqual(sorted.Select(e => e.Status.Inode).Order())
                    && order.Select(i => entries[i]).SequenceEqual(sorted))
                .Label($"count {count}, seed {seed}");
        }).QuickCheckThrowOnFailure();
    }
}
