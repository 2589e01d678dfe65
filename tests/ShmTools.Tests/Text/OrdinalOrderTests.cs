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

    [Fact]
    public void A_listing_sorts_as_the_inventory_orders_segments_then_by_raw_bytes()
    {
        var own = new ShmRoot("/dev/shm", new DeviceId(0, 42), null, null);
        var other = new ShmRoot("/proc/7/root/dev/shm", new DeviceId(0, 43), "mnt:[1]", 7);
        var third = new ShmRoot("/proc/9/root/dev/shm", new DeviceId(0, 44), "mnt:[0]", 9);
        var rng = new Random(3);
        var roots = new[] { own, other, third };
        string[] stems = ["torch_1_", "sem.mp-", "psm_", "x\uFFFD", "sem.", ""];
        var entries = Enumerable.Range(0, 3000).Select(i =>
        {
            var root = roots[rng.Next(roots.Length)];
            string name = stems[rng.Next(stems.Length)] + rng.Next(0, 40);
            byte[]? raw = name.Contains('\uFFFD') ? [(byte)'x', (byte)rng.Next(0x80, 0x100)] : null;
            var t = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
            return new PosixEntry(root, name, new FileStatus(root.Device, (ulong)i, UnixFileType.RegularFile, 0x180, 0, 0, 1, 0, 0, t, t, t, null), raw);
        }).ToList();
        var expected = entries.ToList();
        expected.Sort((a, b) => SegmentOrder.Compare(a, b) is var c and not 0 ? c : a.RawName.AsSpan().SequenceCompareTo(b.RawName));
        var sorted = entries.ToList();
        PosixListing.Sort(sorted);
        // Entries equal in every key may come in either order; each key's run must match.
        static string Key(PosixEntry e) => $"{(int)e.Kind}|{e.Root.Namespace}|{e.Name}|{Convert.ToHexString(e.RawName ?? [])}";
        Assert.Equal(expected.Select(Key), sorted.Select(Key));
        Assert.Equal(entries.Select(e => e.Status.Inode).Order(), sorted.Select(e => e.Status.Inode).Order());
    }
}
