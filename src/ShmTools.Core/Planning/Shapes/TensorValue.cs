using ShmTools.Core.Planning.Graph;

namespace ShmTools.Core.Planning.Shapes;

/// <summary>What inference knows of a tensor: its shape and type, and its values when they are small constants.</summary>
public sealed record TensorValue(long[] Shape, DataType DType, long[]? Ints = null, double[]? Floats = null)
{
    public long Count
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n = checked(n * d);
            return n;
        }
    }

    public long Bytes => checked(Count * DataTypes.Size(DType));

    /// <summary>Values as doubles, from whichever form is known.</summary>
    public double[]? Numbers => Floats ?? Ints?.Select(i => (double)i).ToArray();
}
