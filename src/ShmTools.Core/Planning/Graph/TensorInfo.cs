namespace ShmTools.Core.Planning.Graph;

/// <summary>A tensor with a concrete shape.</summary>
public sealed record TensorInfo(string Name, IReadOnlyList<long> Shape, DataType DType)
{
    /// <summary>Bytes of the tensor; throws OverflowException for absurd shapes.</summary>
    public long Bytes
    {
        get
        {
            long n = DataTypes.Size(DType);
            foreach (var d in Shape) n = checked(n * d);
            return n;
        }
    }

    public override string ToString() => $"{Name}[{string.Join(",", Shape)}]:{DataTypes.Name(DType)}";
}
