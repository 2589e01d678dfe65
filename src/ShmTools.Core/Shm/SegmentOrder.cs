namespace ShmTools.Core.Shm;

/// <summary>
/// The order of an inventory: by kind, then namespace (this host's own, null, first), then name
/// (ordinal). Listed files are put in this order before segments are made of them, so a scan's
/// output can stream in its final order.
/// </summary>
internal static class SegmentOrder
{
    public static int Compare(SegmentKind kindA, string? nsA, string nameA, SegmentKind kindB, string? nsB, string nameB)
    {
        int c = ((int)kindA).CompareTo((int)kindB);
        if (c != 0) return c;
        if (!ReferenceEquals(nsA, nsB))
        {
            c = string.CompareOrdinal(nsA ?? "", nsB ?? "");
            if (c != 0) return c;
        }
        return string.CompareOrdinal(nameA, nameB);
    }

    public static int Compare(ShmSegment a, ShmSegment b) => Compare(a.Kind, a.Namespace, a.Name, b.Kind, b.Namespace, b.Name);

    public static int Compare(PosixEntry a, PosixEntry b) => Compare(a.Kind, a.Root.Namespace, a.Name, b.Kind, b.Root.Namespace, b.Name);

    public static int Compare(PosixEntry a, ShmSegment b) => Compare(a.Kind, a.Root.Namespace, a.Name, b.Kind, b.Namespace, b.Name);
}
