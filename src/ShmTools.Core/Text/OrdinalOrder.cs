using ShmTools.Core.Threading;

namespace ShmTools.Core.Text;

/// <summary>
/// Puts strings in ordinal order (UTF-16 code unit by code unit, as <see cref="string.CompareOrdinal(string, string)"/>)
/// faster than comparing them pairwise when many share long prefixes, as /dev/shm names do
/// (torch_1234_..., psm_...). Each string is packed once into 64-bit words of four code units,
/// big-endian, zero-padded, so comparing two words compares four code units at once. The words
/// are then sorted by multikey quicksort: a common prefix is read once per partition rather than
/// once per comparison, and the words lie in one array rather than behind one pointer per string.
/// Recursion is bounded: past a depth budget, or on words that could hide an embedded NUL, a
/// range falls back to a comparison sort, so hostile names cannot make it quadratic or deep.
/// </summary>
internal static class OrdinalOrder
{
    private const int Small = 12;

    /// <summary>The indices of <paramref name="strings"/> in ordinal order (equal strings in any order).</summary>
    public static int[] Of(IReadOnlyList<string> strings)
    {
        var order = new int[strings.Count];
        Order(strings.Count, i => strings[i], order);
        return order;
    }

    /// <summary>
    /// Fills <paramref name="into"/>[0, count) with 0 .. count - 1 in the ordinal order of
    /// <paramref name="stringAt"/> of each (equal strings in any order). Its working arrays are
    /// pooled: a scan's sort allocates next to nothing.
    /// </summary>
    public static void Order(int count, Func<int, string> stringAt, int[] into)
    {
        for (int i = 0; i < count; i++) into[i] = i;
        if (count < 2) return;
        var keys = new Keys(count, stringAt);
        try
        {
            keys.Sort(into, 0, count, 0, 2 * (int)Math.Log2(count) + 8);
        }
        finally
        {
            keys.Return();
        }
    }

    private sealed class Keys
    {
        private readonly ByString _byString;
        private readonly ulong[] _words;
        private readonly int[] _start; // string i's words are _words[_start[i] .. _start[i + 1])

        public Keys(int n, Func<int, string> stringAt)
        {
            _byString = new ByString(stringAt);
            _start = ScanBuffers<int>.Pool.Rent(n + 1);
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                _start[i] = total;
                total += stringAt(i).Length / 4 + 1; // at least one code unit of padding ends every string
            }
            _start[n] = total;
            _words = ScanBuffers<ulong>.Pool.Rent(total);
            for (int i = 0; i < n; i++)
            {
                var s = stringAt(i).AsSpan();
                int w = _start[i], k = 0;
                for (; k + 4 <= s.Length; k += 4)
                    _words[w++] = ((ulong)s[k] << 48) | ((ulong)s[k + 1] << 32) | ((ulong)s[k + 2] << 16) | s[k + 3];
                ulong last = 0;
                for (int shift = 48; k < s.Length; k++, shift -= 16) last |= (ulong)s[k] << shift;
                _words[w] = last;
            }
        }

        public void Return()
        {
            ScanBuffers<ulong>.Pool.Return(_words);
            ScanBuffers<int>.Pool.Return(_start);
        }

        /// <summary>Word <paramref name="d"/> of string <paramref name="i"/>; 0 past its end.</summary>
        private ulong Word(int i, int d)
        {
            int p = _start[i] + d;
            return p < _start[i + 1] ? _words[p] : 0;
        }

        /// <summary>Sorts order[lo..hi), whose strings agree on their first <paramref name="d"/> words; <paramref name="budget"/> recursions deeper at most.</summary>
        public void Sort(int[] order, int lo, int hi, int d, int budget)
        {
            while (hi - lo > 1)
            {
                if (hi - lo <= Small || budget <= 0)
                {
                    CompareSort(order, lo, hi);
                    return;
                }
                ulong a = Word(order[lo], d), b = Word(order[lo + (hi - lo) / 2], d), c = Word(order[hi - 1], d);
                ulong pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
                int lt = lo, gt = hi - 1, i = lo;
                while (i <= gt)
                {
                    int x = order[i];
                    ulong w = Word(x, d);
                    if (w < pivot)
                    {
                        order[i++] = order[lt];
                        order[lt++] = x;
                    }
                    else if (w > pivot)
                    {
                        order[i] = order[gt];
                        order[gt--] = x;
                    }
                    else i++;
                }
                Sort(order, lo, lt, d, budget - 1);
                Sort(order, gt + 1, hi, d, budget - 1);
                lo = lt;
                hi = gt + 1;
                // A word whose last code unit is 0 is a string's last (its padding), unless the
                // string holds a NUL: those that are equal are sorted by comparison, which is exact.
                if ((pivot & 0xFFFF) == 0)
                {
                    CompareSort(order, lo, hi);
                    return;
                }
                d++;
            }
        }

        private void CompareSort(int[] order, int lo, int hi)
        {
            if (hi - lo > 1) Array.Sort(order, lo, hi - lo, _byString);
        }
    }

    private sealed class ByString(Func<int, string> stringAt) : IComparer<int>
    {
        public int Compare(int x, int y) => string.CompareOrdinal(stringAt(x), stringAt(y));
    }
}
