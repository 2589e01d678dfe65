using System.Globalization;
using System.Text;

namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// An SVG picture of a device plan: time (steps) across, address up, one rectangle per tensor,
/// the lower bound and the target memory as lines.
/// </summary>
public static class PlanChart
{
    public static string Svg(DevicePlan plan)
    {
        var tensors = plan.Tensors ?? throw new ArgumentException("The plan was made without tensor placements (use detailed).");
        const int width = 1000, height = 600, left = 80, bottom = 40, top = 30;
        long ceiling = Math.Max(plan.PeakBytes, plan.LowerBoundBytes);
        bool showTarget = plan.TargetBytes <= ceiling * 2;
        if (showTarget) ceiling = Math.Max(ceiling, plan.TargetBytes);
        ceiling = Math.Max(1, (long)(ceiling * 1.05));
        double xs = (width - left - 10) / (double)Math.Max(1, plan.Steps);
        double ys = (height - top - bottom) / (double)ceiling;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        double Y(long bytes) => height - bottom - bytes * ys;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{left}\" y=\"18\">{Escape(plan.Name)}: {plan.Strategy}, peak {Text.ByteSize.Format(plan.PeakBytes)}, lower bound {Text.ByteSize.Format(plan.LowerBoundBytes)} ({plan.PeakOverLowerBound:0.000}x), {tensors.Count} tensors, {plan.Steps} steps</text>\n");
        int i = 0;
        foreach (var t in tensors)
        {
            double x = left + t.FirstStep * xs, w = Math.Max(1, (t.LastStep - t.FirstStep + 1) * xs);
            double y = Y(t.Offset + t.AlignedBytes), h = Math.Max(0.5, t.AlignedBytes * ys);
            int hue = (i++ * 47) % 360;
            sb.Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(h)}\" fill=\"hsl({hue},60%,70%)\" stroke=\"hsl({hue},60%,40%)\" stroke-width=\"0.5\"><title>{Escape(t.Name)} {Text.ByteSize.Format(t.Bytes)} steps {t.FirstStep}-{t.LastStep} offset {t.Offset}</title></rect>\n");
        }
        void Line(long bytes, string colour, string label)
        {
            sb.Append($"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{F(Y(bytes))}\" y2=\"{F(Y(bytes))}\" stroke=\"{colour}\" stroke-dasharray=\"6 4\"/>\n");
            sb.Append($"<text x=\"{width - 12}\" y=\"{F(Y(bytes) - 4)}\" text-anchor=\"end\" fill=\"{colour}\">{label}</text>\n");
        }
        Line(plan.LowerBoundBytes, "#c00", "lower bound " + Text.ByteSize.Format(plan.LowerBoundBytes));
        if (showTarget) Line(plan.TargetBytes, "#060", "target memory " + Text.ByteSize.Format(plan.TargetBytes));
        sb.Append($"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{height - bottom}\" stroke=\"black\"/>\n");
        sb.Append($"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{height - bottom}\" y2=\"{height - bottom}\" stroke=\"black\"/>\n");
        sb.Append($"<text x=\"{(left + width) / 2}\" y=\"{height - 10}\" text-anchor=\"middle\">step (0 to {plan.Steps - 1})</text>\n");
        sb.Append($"<text x=\"14\" y=\"{height / 2}\" transform=\"rotate(-90 14 {height / 2})\" text-anchor=\"middle\">address (0 to {Text.ByteSize.Format(ceiling)})</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
