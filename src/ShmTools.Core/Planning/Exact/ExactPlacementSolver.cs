using System.Diagnostics;

namespace ShmTools.Core.Planning.Exact;

/// <summary>
/// Exact placement of buffers with fixed lifetimes (sound and complete given time, anytime).
/// <para>
/// The search builds canonical solutions only: buffers are placed in order of non-decreasing
/// offset (ties by a preorder), and each at the top of the highest already placed buffer it
/// overlaps in time (or 0). Every placement can be pushed down until it has this form without
/// raising its peak, so nothing is lost. Placing a buffer at offset <c>o</c> means every buffer
/// placed later starts at <c>o</c> or above, so in each section of time the bytes still to place
/// must fit between <c>max(section top, o)</c> and the capacity: a buffer whose offset plus the
/// fullest section's bytes still to place exceeds the capacity is never tried, and a placement
/// after which some section's buffers can no longer start low enough is undone at once.
/// Identical buffers (same interval and size) are placed in index order.
/// </para>
/// <para>
/// Time falls apart wherever no buffer still to place crosses a section boundary (at the start,
/// and whenever a placement removes the last buffer across one); the parts are independent and
/// are searched one by one, each with its own preorder.
/// </para>
/// </summary>
public static class ExactPlacementSolver
{
    /// <summary>Overlap lists beyond this many entries make the instance too large to search.</summary>
    public const long MaxOverlapEntries = 20_000_000;

    /// <summary>Finds a placement whose peak is at most <paramref name="capacity"/>, or proves none exists.</summary>
    public static (PackOutcome Outcome, long[]? Offsets, long Nodes) Pack(PlacementProblem p, long capacity, long deadlineTicks)
    {
        var search = CapacitySearch.Create(p, deadlineTicks);
        if (search == null) return (PackOutcome.TimedOut, null, 0);
        return search.Pack(capacity, deadlineTicks);
    }

    /// <summary>
    /// Minimises the peak, starting from a known placement (a heuristic's): capacities between the
    /// lower bound and the known peak are asked for (<see cref="CapacitySearch.Minimise"/>); each
    /// found placement lowers the upper end, each exhausted search raises the lower end. Stops at
    /// the time limit with the best placement found. With a capacity, only whether a placement
    /// fits within it is asked.
    /// </summary>
    /// <summary>Above this many overlapping pairs the search is not started (its tables grow with them).</summary>
    public const long MaxPairs = 20_000_000;

    public static ExactSolution Solve(PlacementProblem p, long[] start, TimeSpan timeLimit, long? capacity = null)
    {
        var clock = Stopwatch.StartNew();
        long deadline = Stopwatch.GetTimestamp() + (long)(timeLimit.TotalSeconds * Stopwatch.Frequency);
        long lowerBound = p.LowerBound();
        var best = (long[])start.Clone();
        long bestPeak = p.PeakOf(best);
        long nodes = 0;
        long unit = Unit(p);
        // Peaks of canonical placements are sums of sizes, so multiples of their gcd.
        long floor = CeilTo(lowerBound, unit);
        bool timedOut = false;
        // The search keeps every overlapping pair; past a limit (millions of buffers alive together)
        // it is not started and the start placement stands, unproven.
        var search = bestPeak <= floor || (capacity is long c && (bestPeak <= c || floor > c)) || p.OverlapPairs(MaxPairs) > MaxPairs
            ? null : CapacitySearch.Create(p, deadline);

        if (capacity is long cap)
        {
            if (bestPeak <= cap)
                return new ExactSolution(best, bestPeak, bestPeak <= floor, 0, clock.Elapsed) { CapacityOutcome = PackOutcome.Found, ProvenFloor = floor };
            if (floor > cap)
                return new ExactSolution(best, bestPeak, false, 0, clock.Elapsed) { CapacityOutcome = PackOutcome.Infeasible, ProvenFloor = floor };
            var (outcome, offsets, n) = search?.Pack(cap, deadline) ?? (PackOutcome.TimedOut, null, 0);
            nodes += n;
            if (outcome == PackOutcome.Found) { best = offsets!; bestPeak = p.PeakOf(best); }
            if (outcome == PackOutcome.Infeasible) floor = CeilTo(cap + 1, unit);
            return new ExactSolution(best, bestPeak, bestPeak <= floor, nodes, clock.Elapsed) { CapacityOutcome = outcome, ProvenFloor = floor };
        }

        long lo = floor - unit; // highest capacity known infeasible (or below the bound)
        if (bestPeak - lo > unit)
        {
            if (search == null) timedOut = true;
            else
            {
                var (offsets, provenBelow, outOfTime) = search.Minimise(lo, bestPeak, unit, deadline);
                nodes += search.Nodes;
                if (offsets != null) { best = offsets; bestPeak = p.PeakOf(best); }
                lo = provenBelow;
                timedOut = outOfTime;
            }
        }
        long provenFloor = Math.Max(floor, lo + unit);
        return new ExactSolution(best, bestPeak, !timedOut && bestPeak <= provenFloor, nodes, clock.Elapsed) { ProvenFloor = Math.Min(provenFloor, bestPeak) };
    }

    private static long CeilTo(long value, long unit) => (value + unit - 1) / unit * unit;

    private static long Unit(PlacementProblem p)
    {
        long g = 0;
        foreach (var s in p.Sizes) if (s > 0) g = Gcd(g, s);
        return Math.Max(g, 1);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    /// <summary>One depth-first search for a placement within one capacity; its state is undone on backtrack.</summary>
    private sealed class CapacitySearch
    {
        private PlacementProblem p = null!;
        private long capacity;
        private int[] order = null!;           // buffers to search (non-zero sizes)
        private int[] overlapStart = null!;    // CSR lists of time-overlapping buffers
        private int[] overlapList = null!;
        private int[] sectionStart = null!;    // CSR lists of the buffers alive in each section
        private int[] sectionList = null!;
        private int[] twinBefore = null!;      // the identical buffer that must be placed first, or -1
        private int[] rank = null!;            // preorder of the current part: tie-break among equal offsets
        private long[] minOffset = null!;      // top of the highest placed buffer overlapping each one
        private long[] sectionFloor = null!;   // top of the placed buffers per section
        private long[] sectionRest = null!;    // bytes still to place per section
        private int[] witness = null!;         // per section, the buffer last seen able to start low enough
        private bool[] placed = null!;
        public long[] Offsets = null!;
        public long Nodes;

        /// <summary>The search structures for one problem (null when they would not fit the memory or time allowed).</summary>
        public static CapacitySearch? Create(PlacementProblem p, long deadlineTicks)
        {
            var s = new CapacitySearch { p = p };
            int n = p.Count;
            s.Offsets = new long[n];
            s.minOffset = new long[n];
            s.placed = new bool[n];
            s.sectionFloor = new long[p.Sections];
            s.sectionRest = new long[p.Sections];
            s.witness = new int[p.Sections];
            Array.Fill(s.witness, -1);
            s.order = Enumerable.Range(0, n).Where(i => p.Sizes[i] > 0).ToArray();
            long entries = 0;
            foreach (var i in s.order) entries += p.End[i] - p.First[i];
            if (entries > MaxOverlapEntries) return null;
            for (int i = 0; i < n; i++)
            {
                if (p.Sizes[i] == 0) s.placed[i] = true;
                else for (int sec = p.First[i]; sec < p.End[i]; sec++) s.sectionRest[sec] += p.Sizes[i];
            }
            s.BuildSections();
            if (!s.BuildOverlaps(deadlineTicks)) return null;
            s.twinBefore = new int[n];
            Array.Fill(s.twinBefore, -1);
            foreach (var g in s.order.GroupBy(i => (p.First[i], p.End[i], p.Sizes[i])))
            {
                int prev = -1;
                foreach (var i in g.OrderBy(i => i)) { s.twinBefore[i] = prev; prev = i; }
            }
            return s;
        }

        private void BuildSections()
        {
            sectionStart = new int[p.Sections + 1];
            foreach (var b in order) for (int sec = p.First[b]; sec < p.End[b]; sec++) sectionStart[sec + 1]++;
            for (int sec = 0; sec < p.Sections; sec++) sectionStart[sec + 1] += sectionStart[sec];
            sectionList = new int[sectionStart[p.Sections]];
            var fill = (int[])sectionStart.Clone();
            foreach (var b in order) for (int sec = p.First[b]; sec < p.End[b]; sec++) sectionList[fill[sec]++] = b;
        }

        private bool BuildOverlaps(long deadlineTicks)
        {
            int n = p.Count;
            var byStart = order.OrderBy(i => p.First[i]).ToArray();
            var count = new int[n];
            var active = new List<int>();
            long total = 0;
            // First pass counts, second fills.
            for (int pass = 0; pass < 2; pass++)
            {
                active.Clear();
                var fill = pass == 1 ? (int[])overlapStart.Clone() : null;
                int seen = 0;
                foreach (var b in byStart)
                {
                    if ((++seen & 1023) == 0 && Stopwatch.GetTimestamp() > deadlineTicks) return false;
                    active.RemoveAll(a => p.End[a] <= p.First[b]);
                    foreach (var a in active)
                    {
                        if (pass == 0)
                        {
                            count[a]++; count[b]++;
                            if ((total += 2) > MaxOverlapEntries) return false;
                        }
                        else
                        {
                            overlapList[fill![a]++] = b;
                            overlapList[fill[b]++] = a;
                        }
                    }
                    active.Add(b);
                }
                if (pass == 0)
                {
                    overlapStart = new int[n + 1];
                    for (int i = 0; i < n; i++) overlapStart[i + 1] = overlapStart[i] + count[i];
                    overlapList = new int[overlapStart[n]];
                }
            }
            return true;
        }

        /// <summary>
        /// The preorder that breaks ties among buffers at the same offset, recomputed for every
        /// part the search splits into: by three keys, each larger first, then by index. The keys:
        /// T the fullest section the buffer crosses (bytes still to place there), W its lifetime,
        /// A its area (size times lifetime).
        /// </summary>
        private void Preorder(List<int> buffers)
        {
            string keys = Heuristics[heuristic];
            int count = buffers.Count;
            if (preorderKeys.Length < count) preorderKeys = new PreorderKey[Math.Max(count, preorderKeys.Length * 2)];
            for (int i = 0; i < count; i++)
            {
                int b = buffers[i];
                long total = 0;
                for (int sec = p.First[b]; sec < p.End[b]; sec++) total = Math.Max(total, sectionRest[sec]);
                var k = new PreorderKey { Buffer = b };
                for (int j = 0; j < 3; j++)
                {
                    double v = keys[j] switch
                    {
                        'T' => total,
                        'W' => p.Durations[b],
                        _ => (double)p.Sizes[b] * p.Durations[b],
                    };
                    if (j == 0) k.K0 = v; else if (j == 1) k.K1 = v; else k.K2 = v;
                }
                preorderKeys[i] = k;
            }
            var span = preorderKeys.AsSpan(0, count);
            span.Sort();
            for (int i = 0; i < count; i++) rank[span[i].Buffer] = i;
        }

        private struct PreorderKey : IComparable<PreorderKey>
        {
            public double K0, K1, K2;
            public int Buffer;

            public readonly int CompareTo(PreorderKey o)
            {
                int c = o.K0.CompareTo(K0);
                if (c == 0) c = o.K1.CompareTo(K1);
                if (c == 0) c = o.K2.CompareTo(K2);
                return c != 0 ? c : Buffer.CompareTo(o.Buffer);
            }
        }

        private struct Candidate : IComparable<Candidate>
        {
            public long Offset;
            public int Rank, Buffer;

            public readonly int CompareTo(Candidate o) => Offset != o.Offset ? Offset.CompareTo(o.Offset) : Rank.CompareTo(o.Rank);
        }

        private PreorderKey[] preorderKeys = [];
        private Candidate[] candidateStack = new Candidate[256];
        private int candidateTop;

        /// <summary>
        /// Tries each preorder with a node budget that doubles every round (a short run of one
        /// ordering often succeeds where a long run of another is stuck); any run that ends
        /// without a budget or time cut proves infeasibility, since each search is complete.
        /// </summary>
        public (PackOutcome Outcome, long[]? Offsets, long Nodes) Pack(long capacity, long deadlineTicks)
        {
            Nodes = 0;
            var outcome = PackOutcome.TimedOut;
            OnLargeStack(() =>
            {
                for (long budget = InitialBudget; ; budget *= 2)
                    for (int h = 0; h < Heuristics.Length; h++)
                        if (Probe(capacity, deadlineTicks, budget, h) is PackOutcome o) { outcome = o; return; }
            });
            return (outcome, outcome == PackOutcome.Found ? (long[])Offsets.Clone() : null, Nodes);
        }

        /// <summary>
        /// Minimises the peak within (<paramref name="lo"/>, <paramref name="hi"/>]: no placement
        /// fits <paramref name="lo"/>, one of peak <paramref name="hi"/> is known. Every preorder
        /// of every round of the growing node budget asks two questions: first the lowest
        /// capacity not yet settled (on real models usually the lower bound, answered at once),
        /// then one step of a descent from above with a quarter of the budget: the middle between
        /// the best peak and the highest capacity asked in vain so far (from the bottom again
        /// when nothing is left in between). So a lower bound that can be neither reached nor
        /// disproved in time still leaves the peak lowered as far as the budget reaches. Returns
        /// the best placement found (null if none beat <paramref name="hi"/>), the highest
        /// capacity proven too small, and whether the time limit ended the search.
        /// </summary>
        public (long[]? Offsets, long Lo, bool TimedOut) Minimise(long lo, long hi, long unit, long deadlineTicks)
        {
            Nodes = 0;
            long[]? best = null;
            bool timedOut = false;
            OnLargeStack(() =>
            {
                long vain = lo; // the highest capacity whose question ran out of budget in this descent
                for (long budget = InitialBudget; hi - lo > unit; budget *= 2)
                {
                    for (int h = 0; h < Heuristics.Length && hi - lo > unit; h++)
                    {
                        var outcome = Probe(lo + unit, deadlineTicks, budget, h);
                        if (outcome == PackOutcome.TimedOut) { timedOut = true; return; }
                        if (outcome == PackOutcome.Found) { best = (long[])Offsets.Clone(); hi = p.PeakOf(best); }
                        else if (outcome == PackOutcome.Infeasible) { lo += unit; vain = Math.Max(vain, lo); }
                        if (hi - vain <= 2 * unit) vain = lo;
                        long target = vain + (hi - vain) / unit / 2 * unit;
                        if (target <= lo + unit) continue;
                        outcome = Probe(target, deadlineTicks, Math.Max(budget / 4, InitialBudget), h);
                        if (outcome == PackOutcome.TimedOut) { timedOut = true; return; }
                        if (outcome == PackOutcome.Found) { best = (long[])Offsets.Clone(); hi = p.PeakOf(best); }
                        else if (outcome == PackOutcome.Infeasible) lo = vain = target;
                        else vain = target;
                    }
                }
            });
            return (best, lo, timedOut);
        }

        private long InitialBudget => 2 * Math.Max(order.Length, 64);

        /// <summary>The search recurses once per placed buffer, so it runs on a thread with a large stack.</summary>
        private static void OnLargeStack(Action action)
        {
            var thread = new Thread(() => action(), 1 << 30);
            thread.Start();
            thread.Join();
        }

        /// <summary>
        /// One run of one preorder within <paramref name="budget"/> nodes: Found, Infeasible when it
        /// was exhausted, TimedOut at the deadline, null when the budget ran out first.
        /// </summary>
        private PackOutcome? Probe(long capacity, long deadlineTicks, long budget, int preorder)
        {
            this.capacity = capacity;
            int n = p.Count;
            for (int i = 0; i < n; i++) if (!placed[i] && p.Sizes[i] > capacity) return PackOutcome.Infeasible;
            for (int sec = 0; sec < p.Sections; sec++) if (sectionRest[sec] > capacity) return PackOutcome.Infeasible;
            if (order.Length == 0) return PackOutcome.Found;
            if (Stopwatch.GetTimestamp() > deadlineTicks) return PackOutcome.TimedOut;
            if (cuts == null)
            {
                cuts = new int[Math.Max(p.Sections, 1)];
                foreach (var b in order) for (int sec = p.First[b]; sec + 1 < p.End[b]; sec++) cuts[sec]++;
                rank = new int[n];
            }
            nodesLeft = budget;
            deadline = deadlineTicks;
            heuristic = preorder;
            candidateTop = 0;
            return SolveParts(order, 0, p.Sections) switch
            {
                Status.Found => PackOutcome.Found,
                Status.NotFound => PackOutcome.Infeasible,
                Status.Deadline => PackOutcome.TimedOut,
                _ => Stopwatch.GetTimestamp() > deadlineTicks ? PackOutcome.TimedOut : null,
            };
        }

        private enum Status { Found, NotFound, Budget, Deadline }

        private int[] cuts = null!;            // per boundary between sections: buffers still to place across it
        private long nodesLeft;
        private long deadline;
        private long work;

        private int heuristic;
        /// <summary>The preorders tried in turn (keys as in <see cref="Preorder"/>).</summary>
        private static readonly string[] Heuristics = ["WAT", "TAW", "TWA"];

        /// <summary>
        /// Places the buffers still to place in the time range [lo, hi): where none of them crosses
        /// a section boundary, the range falls apart into parts that are solved one by one,
        /// independently (a part that fails fails the whole). The state is as before on return;
        /// the placement is in <see cref="Offsets"/> when found.
        /// </summary>
        private Status SolveParts(IReadOnlyList<int> buffers, int lo, int hi)
        {
            // Each buffer still to place lies within one part: number the parts by section, then deal the buffers out.
            var partOf = new int[hi - lo];
            int parts = 0;
            for (int sec = lo; sec < hi; sec++)
            {
                partOf[sec - lo] = parts;
                if (sec + 1 == hi || cuts[sec] == 0) parts++;
            }
            var members = new List<int>?[parts];
            foreach (var o in buffers)
                if (!placed[o]) (members[partOf[p.First[o] - lo]] ??= []).Add(o);
            int from = lo;
            for (int sec = lo; sec < hi; sec++)
            {
                if (sec + 1 < hi && cuts[sec] != 0) continue;
                if (members[partOf[sec - lo]] is { } part)
                {
                    var status = SubSolve(part, from, sec + 1);
                    if (status != Status.Found) return status;
                }
                from = sec + 1;
            }
            return Status.Found;
        }

        private Status SubSolve(List<int> buffers, int lo, int hi)
        {
            var saved = new int[buffers.Count];
            for (int i = 0; i < saved.Length; i++) saved[i] = rank[buffers[i]];
            Preorder(buffers);
            var status = Search(buffers, lo, hi, 0, -1);
            for (int i = 0; i < saved.Length; i++) rank[buffers[i]] = saved[i];
            return status;
        }

        /// <summary>One node: the buffers of the part [lo, hi) that may come next, each tried at its lowest offset.</summary>
        private Status Search(List<int> buffers, int lo, int hi, long floor, int lastRank)
        {
            if (--nodesLeft < 0) return Status.Budget;
            // A node costs time in proportion to its part's buffers: the clock is read every 2^16 of them.
            Nodes++;
            if ((work += buffers.Count + 64) >= 1 << 16)
            {
                work = 0;
                if (Stopwatch.GetTimestamp() > deadline) return Status.Deadline;
            }
            int first = candidateTop;
            int count = Expand(buffers, lo, hi, floor, lastRank, out bool done);
            if (done) return Status.Found;
            var status = Status.NotFound;
            for (int c = 0; c < count && status == Status.NotFound; c++)
            {
                int b = candidateStack[first + c].Buffer;
                long at = minOffset[b];
                int offsetMark = offsetTop, floorMark = floorTop;
                Place(b, at, out int fromSection, out int toSection);
                if (Consistent(b, at, lo, hi, fromSection, toSection)) status = Decompose(buffers, lo, hi, b, at);
                Unplace(b, offsetMark, floorMark);
            }
            candidateTop = first;
            return status;
        }

        /// <summary>
        /// After <paramref name="b"/> is placed: where no buffer still to place crosses a section
        /// boundary any more, the part falls apart into parts that are solved one by one.
        /// </summary>
        private Status Decompose(List<int> buffers, int lo, int hi, int b, long at)
        {
            Offsets[b] = at;
            bool split = false;
            for (int sec = p.First[b]; sec + 1 < p.End[b]; sec++)
                if (--cuts[sec] == 0 && sec + 1 > lo && sec + 1 < hi) split = true;
            var status = split ? SolveParts(buffers, lo, hi) : Search(buffers, lo, hi, at, rank[b]);
            for (int sec = p.First[b]; sec + 1 < p.End[b]; sec++) cuts[sec]++;
            return status;
        }

        /// <summary>
        /// The buffers that may come next after one placed at <paramref name="floor"/>: canonical
        /// (offset not below the floor; at the floor only later in the preorder), within the
        /// capacity, first of their identical twins, and not dominated (a buffer starting at or
        /// above the top some other buffer could reach would leave a gap that buffer fills).
        /// Pushed on the candidate stack, lowest offset first.
        /// </summary>
        private int Expand(List<int> buffers, int lo, int hi, long floor, int lastRank, out bool done)
        {
            long most = 0;
            for (int sec = lo; sec < hi; sec++) most = Math.Max(most, sectionRest[sec]);
            long highest = capacity - most;
            long minHeight = long.MaxValue;
            done = true;
            foreach (var b in buffers)
                if (!placed[b]) { done = false; minHeight = Math.Min(minHeight, minOffset[b] + p.Sizes[b]); }
            if (done) return 0;
            int first = candidateTop;
            foreach (var b in buffers)
            {
                if (placed[b]) continue;
                long at = minOffset[b];
                if (at < floor || (at == floor && rank[b] < lastRank) || at >= minHeight || at > highest) continue;
                if (twinBefore[b] >= 0 && !placed[twinBefore[b]]) continue;
                if (candidateTop == candidateStack.Length) Array.Resize(ref candidateStack, candidateStack.Length * 2);
                candidateStack[candidateTop++] = new Candidate { Offset = at, Rank = rank[b], Buffer = b };
            }
            int count = candidateTop - first;
            candidateStack.AsSpan(first, count).Sort();
            return count;
        }

        /// <summary>
        /// Every section's bytes still to place must fit between its floor and the capacity. The
        /// floor is the highest of: the last offset placed (offsets only grow), the top of the
        /// section's placed buffers, and the lowest offset any of its buffers still to place can
        /// take. The parent node passed this check, so only what placing <paramref name="b"/>
        /// changed is checked again: the tops in b's sections, the last offset everywhere, and the
        /// lowest offsets in the sections [<paramref name="fromSection"/>, <paramref name="toSection"/>)
        /// of the buffers it raised.
        /// </summary>
        private bool Consistent(int b, long at, int lo, int hi, int fromSection, int toSection)
        {
            for (int sec = Math.Max(lo, fromSection); sec < Math.Min(hi, toSection); sec++)
            {
                long rest = sectionRest[sec];
                if (rest == 0) continue;
                long room = capacity - rest;
                int w = witness[sec];
                if (w >= 0 && !placed[w] && minOffset[w] <= room) continue;
                bool reachable = false;
                for (int k = sectionStart[sec]; k < sectionStart[sec + 1] && !reachable; k++)
                {
                    int o = sectionList[k];
                    if (!placed[o] && minOffset[o] <= room) { reachable = true; witness[sec] = o; }
                }
                if (!reachable) return false;
            }
            return true;
        }


        private int[] offsetTrailBuffer = new int[256];
        private long[] offsetTrailOld = new long[256];
        private int offsetTop;
        private int[] floorTrailSection = new int[256];
        private long[] floorTrailOld = new long[256];
        private int floorTop;

        /// <summary>Places <paramref name="b"/> at <paramref name="at"/>; the sections of the buffers it raised (and its own) are [from, to).</summary>
        private void Place(int b, long at, out int fromSection, out int toSection)
        {
            fromSection = p.First[b];
            toSection = p.End[b];
            placed[b] = true;
            Offsets[b] = at;
            long top = at + p.Sizes[b];
            for (int sec = p.First[b]; sec < p.End[b]; sec++)
            {
                Trail(ref floorTrailSection, ref floorTrailOld, ref floorTop, sec, sectionFloor[sec]);
                sectionFloor[sec] = top;
                sectionRest[sec] -= p.Sizes[b];
            }
            for (int k = overlapStart[b]; k < overlapStart[b + 1]; k++)
            {
                int o = overlapList[k];
                if (placed[o] || minOffset[o] >= top) continue;
                Trail(ref offsetTrailBuffer, ref offsetTrailOld, ref offsetTop, o, minOffset[o]);
                minOffset[o] = top;
                fromSection = Math.Min(fromSection, p.First[o]);
                toSection = Math.Max(toSection, p.End[o]);
            }
        }

        /// <summary>Remembers an old value on an undo trail (which index held what), growing it as needed.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static void Trail(ref int[] index, ref long[] old, ref int top, int at, long value)
        {
            if (top == index.Length)
            {
                Array.Resize(ref index, top * 2);
                Array.Resize(ref old, top * 2);
            }
            index[top] = at;
            old[top++] = value;
        }

        private void Unplace(int b, int offsetMark, int floorMark)
        {
            placed[b] = false;
            for (int sec = p.First[b]; sec < p.End[b]; sec++) sectionRest[sec] += p.Sizes[b];
            while (floorTop > floorMark) { floorTop--; sectionFloor[floorTrailSection[floorTop]] = floorTrailOld[floorTop]; }
            while (offsetTop > offsetMark) { offsetTop--; minOffset[offsetTrailBuffer[offsetTop]] = offsetTrailOld[offsetTop]; }
        }
    }
}
