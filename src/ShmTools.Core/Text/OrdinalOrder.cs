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
        int n = strings.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (n < 2) return order;
        var keys = new Keys(strings);
        int budget = 2 * (int)Math.Log2(n) + 8;
        keys.Sort(order, 0, n, 0, budget);
        return order;
    }

    private sealed class Keys
    {
        private readonly IReadOnlyList<string> _strings;
        private readonly ulong[] _words;
        private readonly int[] _start; // string i's words are _words[_start[i] .. _start[i + 1])

        public Keys(IReadOnlyList<string> strings)
        {
            _strings = strings;
            int n = strings.Count;
            _start = new int[n + 1];
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                _start[i] = total;
                total += strings[i].Length / 4 + 1; // at least one code unit of padding ends every string
            }
            _start[n] = total;
            _words = new ulong[total];
            for (int i = 0; i < n; i++)
            {
                var s = strings[i].AsSpan();
                int w = _start[i], k = 0;
                for (; k + 4 <= s.Length; k += 4)
                    _words[w++] = ((ulong)s[k] << 48) | ((ulong)s[k + 1] << 32) | ((ulong)s[k + 2] << 16) | s[k + 3];
                ulong last = 0;
                for (int shift = 48; k < s.Length; k++, shift -= 16) last |= (ulong)s[k] << shift;
                _words[w] = last;
            }
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
            if (hi - lo > 1) Array.Sort(order, lo, hi - lo, new ByString(_strings));
        }
    }

    private sealed class ByString(IReadOnlyList<string> strings) : IComparer<int>
    {
        public int Compare(int x, int y) => string.CompareOrdinal(strings[x], strings[y]);
    }
}
