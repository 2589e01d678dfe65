namespace ShmTools.Core.Planning.Graph;

/// <summary>Element types a planner needs the size of.</summary>
public enum DataType
{
    Float32, Float16, BFloat16, Float64, Int8, UInt8, Int16, Int32, Int64, Bool,
}

public static class DataTypes
{
    public static int Size(DataType t) => t switch
    {
        DataType.Float64 or DataType.Int64 => 8,
        DataType.Float32 or DataType.Int32 => 4,
        DataType.Float16 or DataType.BFloat16 or DataType.Int16 => 2,
        _ => 1,
    };

    public static bool TryParse(string text, out DataType type)
    {
        type = default;
        switch (text.ToLowerInvariant())
        {
            case "float32": case "float": type = DataType.Float32; return true;
            case "float16": case "half": type = DataType.Float16; return true;
            case "bfloat16": type = DataType.BFloat16; return true;
            case "float64": case "double": type = DataType.Float64; return true;
            case "int8": type = DataType.Int8; return true;
            case "uint8": type = DataType.UInt8; return true;
            case "int16": type = DataType.Int16; return true;
            case "int32": type = DataType.Int32; return true;
            case "int64": type = DataType.Int64; return true;
            case "bool": type = DataType.Bool; return true;
            default: return false;
        }
    }

    /// <summary>ONNX TensorProto.DataType; null for types the planner does not know.</summary>
    public static DataType? FromOnnx(int code) => code switch
    {
        1 => DataType.Float32, 2 => DataType.UInt8, 3 => DataType.Int8, 5 => DataType.Int16, 6 => DataType.Int32,
        7 => DataType.Int64, 9 => DataType.Bool, 10 => DataType.Float16, 11 => DataType.Float64, 16 => DataType.BFloat16,
        4 => DataType.Int16, 12 => DataType.Int32, 13 => DataType.Int64, // uint16/32/64 sized like their signed twins
        _ => null,
    };

    public static string Name(DataType t) => t.ToString().ToLowerInvariant();
}
