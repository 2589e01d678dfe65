namespace ShmTools.Core.Planning.Graph;

/// <summary>Sums of byte counts that a hostile model could overflow: an error naming the model instead of a wrapped-around total.</summary>
public static class ByteTotal
{
    /// <summary>Totals above this (1 EiB) are refused, which leaves every later sum, alignment padding included, room in 64 bits.</summary>
    public const long Limit = 1L << 60;

    public static long Sum(IEnumerable<long> bytes, string source, string what)
    {
        Int128 total = 0;
        foreach (var b in bytes) total += b;
        if (total > Limit)
            throw new ModelFormatException($"{source}: {what} total {total} bytes, more than the 1 EiB a plan can count.");
        return (long)total;
    }
}
