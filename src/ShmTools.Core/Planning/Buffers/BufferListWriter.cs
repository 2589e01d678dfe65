using System.Globalization;
using System.Text;

namespace ShmTools.Core.Planning.Buffers;

/// <summary>Writes a planned buffer list as CSV <c>id,lower,upper,size,offset</c> (readable again by <see cref="BufferListReader"/>).</summary>
public static class BufferListWriter
{
    public static string Csv(IEnumerable<PlacedBuffer> buffers)
    {
        var sb = new StringBuilder("id,lower,upper,size,offset\n");
        foreach (var b in buffers)
            sb.Append(b.Id).Append(',').Append(b.Lower.ToString(CultureInfo.InvariantCulture)).Append(',').Append(b.Upper.ToString(CultureInfo.InvariantCulture))
              .Append(',').Append(b.Size.ToString(CultureInfo.InvariantCulture)).Append(',').Append(b.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }
}
