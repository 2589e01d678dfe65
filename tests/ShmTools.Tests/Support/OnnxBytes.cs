using System.Text;

namespace ShmTools.Tests.Support;

/// <summary>
/// Writes small ONNX models in the protobuf wire format by field number (ModelProto.graph 7,
/// opset_import 8; GraphProto node 1, initializer 5, input 11, output 12; NodeProto input 1,
/// output 2, name 3, op_type 4, attribute 5; AttributeProto name 1, i 3, ints 8, type 20; a type alone, no value, with TypeOnly), so
/// tests can state exactly the hostile field values they feed the reader.
/// </summary>
public static class OnnxBytes
{
    public sealed record Attr(string Name, long? Int = null, long[]? Ints = null, int? TypeOnly = null);

    public sealed record Node(string Op, string[] Inputs, string[] Outputs, params Attr[] Attrs);

    public sealed record Value(string Name, long[]? Shape, int ElemType = 1);

    public sealed record Initializer(string Name, long[] Dims, int DataType = 1);

    public static byte[] Model(Node[] nodes, Value[] inputs, Value[] outputs, Initializer[]? initializers = null)
    {
        var g = new List<byte>();
        foreach (var n in nodes) Field(g, 1, NodeBytes(n));
        Field(g, 2, "g");
        foreach (var t in initializers ?? []) Field(g, 5, TensorBytes(t));
        foreach (var v in inputs) Field(g, 11, ValueBytes(v));
        foreach (var v in outputs) Field(g, 12, ValueBytes(v));
        var m = new List<byte>();
        Varint(m, 1, 8); // ir_version
        Field(m, 7, g.ToArray());
        var opset = new List<byte>();
        Varint(opset, 2, 13);
        Field(m, 8, opset.ToArray());
        return m.ToArray();
    }

    /// <summary>One node reading graph input x [1,3,8,8] (and weight w when asked), its output y shapeless so only inference can size it.</summary>
    public static byte[] OneNode(string op, Attr[] attrs, string[]? inputs = null, int outputs = 1, Initializer[]? initializers = null) =>
        Model([new Node(op, inputs ?? ["x"], Enumerable.Range(0, outputs).Select(i => "y" + i).ToArray(), attrs)],
            [new Value("x", [1, 3, 8, 8])], [new Value("y0", null)], initializers);

    private static byte[] NodeBytes(Node n)
    {
        var b = new List<byte>();
        foreach (var i in n.Inputs) Field(b, 1, i);
        foreach (var o in n.Outputs) Field(b, 2, o);
        Field(b, 4, n.Op);
        foreach (var a in n.Attrs)
        {
            var ab = new List<byte>();
            Field(ab, 1, a.Name);
            if (a.Int is { } i) { Varint(ab, 3, i); Varint(ab, 20, 2); }
            if (a.Ints is { } ii) { foreach (var v in ii) Varint(ab, 8, v); Varint(ab, 20, 7); }
            if (a.TypeOnly is { } type) Varint(ab, 20, type);
            Field(b, 5, ab.ToArray());
        }
        return b.ToArray();
    }

    private static byte[] ValueBytes(Value v)
    {
        var tensor = new List<byte>();
        Varint(tensor, 1, v.ElemType);
        if (v.Shape != null)
        {
            var shape = new List<byte>();
            foreach (var d in v.Shape)
            {
                var dim = new List<byte>();
                Varint(dim, 1, d);
                Field(shape, 1, dim.ToArray());
            }
            Field(tensor, 2, shape.ToArray());
        }
        var type = new List<byte>();
        Field(type, 1, tensor.ToArray());
        var b = new List<byte>();
        Field(b, 1, v.Name);
        Field(b, 2, type.ToArray());
        return b.ToArray();
    }

    private static byte[] TensorBytes(Initializer t)
    {
        var b = new List<byte>();
        foreach (var d in t.Dims) Varint(b, 1, d);
        Varint(b, 2, t.DataType);
        Field(b, 8, t.Name);
        return b.ToArray();
    }

    private static void Field(List<byte> to, int number, string text) => Field(to, number, Encoding.UTF8.GetBytes(text));

    private static void Field(List<byte> to, int number, byte[] data)
    {
        Raw(to, (ulong)(number << 3 | 2));
        Raw(to, (ulong)data.Length);
        to.AddRange(data);
    }

    private static void Varint(List<byte> to, int number, long value)
    {
        Raw(to, (ulong)(number << 3));
        Raw(to, unchecked((ulong)value));
    }

    private static void Raw(List<byte> to, ulong v)
    {
        do
        {
            byte b = (byte)(v & 0x7f);
            v >>= 7;
            to.Add(v != 0 ? (byte)(b | 0x80) : b);
        } while (v != 0);
    }
}
