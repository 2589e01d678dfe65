namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// Checks a plan independently of how it was made: no two tensors alive at the same step share
/// a byte (except an element-wise output written over its input at the step that input dies,
/// when the plan declares it), every tensor lies inside the arena, and every offset keeps the
/// device's alignment.
/// Returns the problems found (empty: the plan is sound).
/// </summary>
public static class PlanVerifier
{
    public static List<string> Verify(IReadOnlyList<TensorPlacement> tensors, long arena, int alignment)
    {
        var problems = new List<string>();
        foreach (var t in tensors)
        {
            if (t.Offset < 0 || t.Offset + t.AlignedBytes > arena) problems.Add($"{t.Name} [{t.Offset}, {t.Offset + t.AlignedBytes}) lies outside the arena of {arena} bytes");
            if (t.Offset % alignment != 0) problems.Add($"{t.Name} at offset {t.Offset} breaks the {alignment}-byte alignment");
            if (t.AlignedBytes < t.Bytes) problems.Add($"{t.Name} has {t.AlignedBytes} bytes reserved for {t.Bytes}");
            if (t.LastStep < t.FirstStep) problems.Add($"{t.Name} dies (step {t.LastStep}) before it is made (step {t.FirstStep})");
        }
        // Sweep over time: every tensor is compared with those alive when it starts.
        var order = tensors.OrderBy(t => t.FirstStep).ToList();
        var active = new List<TensorPlacement>();
        foreach (var t in order)
        {
            active.RemoveAll(a => a.LastStep < t.FirstStep);
            foreach (var a in active)
                if (!(t.InPlaceOf == a.Name && a.LastStep == t.FirstStep) && !(a.InPlaceOf == t.Name && t.LastStep == a.FirstStep)
                    && t.Offset < a.Offset + a.AlignedBytes && a.Offset < t.Offset + t.AlignedBytes && t.AlignedBytes > 0 && a.AlignedBytes > 0)
                    problems.Add($"{t.Name} (steps {t.FirstStep}-{t.LastStep}, bytes {t.Offset}-{t.Offset + t.AlignedBytes}) overlaps {a.Name} (steps {a.FirstStep}-{a.LastStep}, bytes {a.Offset}-{a.Offset + a.AlignedBytes})");
            active.Add(t);
        }
        return problems;
    }
}
