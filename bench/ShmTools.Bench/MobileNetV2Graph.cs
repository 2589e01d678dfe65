using ShmTools.Core.Planning.Graph;

namespace ShmTools.Bench;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018, 224x224, width 1.0) as an activation graph built from its
/// published layer table: a 3x3 stem, 17 inverted residual blocks (1x1 expansion, 3x3 depthwise,
/// 1x1 projection, each with batch norm folded; ReLU6 as Clip; an Add where stride is 1 and the
/// channels match), a 1x1 convolution to 1280 channels, global pooling and the classifier.
/// </summary>
public static class MobileNetV2Graph
{
    public static ModelGraph Build(int batch = 1)
    {
        var nodes = new List<GraphNode>();
        int id = 0;
        long side = 112;
        string Add(string op, List<string> inputs, long channels, long size)
        {
            var name = $"t{id++}";
            nodes.Add(new GraphNode($"{op}_{id}", op, inputs, [new TensorInfo(name, [batch, channels, size, size], DataType.Float32)]));
            return name;
        }
        string x = Add("Conv", ["input"], 32, side);
        x = Add("Clip", [x], 32, side);
        long channels = 32;
        foreach (var (t, c, n, s) in new[] { (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1) })
            for (int i = 0; i < n; i++)
            {
                int stride = i == 0 ? s : 1;
                string input = x, h = x;
                long hidden = channels * t;
                if (t != 1) { h = Add("Conv", [h], hidden, side); h = Add("Clip", [h], hidden, side); }
                long outSide = side / stride;
                h = Add("Conv", [h], hidden, outSide);
                h = Add("Clip", [h], hidden, outSide);
                h = Add("Conv", [h], c, outSide);
                if (stride == 1 && channels == c) h = Add("Add", [input, h], c, outSide);
                x = h;
                channels = c;
                side = outSide;
            }
        x = Add("Conv", [x], 1280, side);
        x = Add("Clip", [x], 1280, side);
        x = Add("GlobalAveragePool", [x], 1280, 1);
        var logits = $"t{id++}";
        nodes.Add(new GraphNode("Gemm_logits", "Gemm", [x], [new TensorInfo(logits, [batch, 1000], DataType.Float32)]));
        return new ModelGraph("mobilenetv2-1.0-224", [new TensorInfo("input", [batch, 3, 224, 224], DataType.Float32)], nodes, [logits], 0);
    }
}
