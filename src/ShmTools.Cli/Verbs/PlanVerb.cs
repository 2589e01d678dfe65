using System.CommandLine;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools plan</c>: the twin of Invoke-MemoryPlan.</summary>
public static class PlanVerb
{
    public static Command Create(Option<bool> json)
    {
        var model = new Option<string>("--model") { Description = "The model: .onnx, or a .yaml/.json graph.", Required = true };
        var profile = new Option<string[]>("--profile") { Description = "Device profile name or YAML file (repeatable; order is preference order). Default: cpu.", Arity = ArgumentArity.OneOrMore };
        var shape = new Option<string[]>("--input-shape") { Description = "Bind a model input's shape: NAME=D1,D2,... (repeatable).", Arity = ArgumentArity.OneOrMore };
        var strategy = new Option<string>("--strategy") { Description = EnumWords.List<PlanStrategy>() + ".", DefaultValueFactory = _ => EnumWords.Word(PlanStrategy.Auto) };
        var chart = new Option<string?>("--chart") { Description = "Write an SVG chart of the plan to this file." };
        var detailed = new Option<bool>("--detailed") { Description = "Include every tensor's placement." };
        var command = new Command("plan", "Plan a model's memory on device profiles (sub-functions, execution units, block reuse).");
        foreach (var o in new Option[] { model, profile, shape, strategy, chart, detailed }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var request = new PlanRequest
            {
                Model = parse.GetValue(model)!,
                Profiles = parse.GetValue(profile) ?? [],
                InputShapes = parse.GetValue(shape) ?? [],
                Strategy = EnumWords.TryParse<PlanStrategy>(parse.GetValue(strategy), out var chosen) ? chosen
                    : throw new UsageException($"--strategy {parse.GetValue(strategy)}: not a strategy ({EnumWords.List<PlanStrategy>()})."),
                Detailed = parse.GetValue(detailed),
                ChartPath = parse.GetValue(chart),
            };
            var plan = request.Plan();
            // The plan is written even when its chart cannot be: the chart is the extra.
            string? chartError = null;
            try
            {
                request.WriteCharts(plan);
            }
            catch (IOException ex)
            {
                chartError = ex.Message;
            }
            plan = request.ForOutput(plan);
            if (parse.GetValue(json)) JsonOutput.Write(plan, CliJsonContext.Default.MemoryPlan);
            else Console.Out.Write(Render(plan));
            if (chartError == null) return ExitCodes.Success;
            Console.Error.WriteLine("shmtools: --chart: " + chartError);
            return ExitCodes.SomeItemsFailed;
        });
        return command;
    }

    private static string Render(MemoryPlan plan) =>
        $"model {plan.Model}, strategy {plan.Strategy}\n" +
        Output.Table(["DEVICE", "PEAK", "LOWER BOUND", "PEAK/LB", "NAIVE", "WEIGHTS", "TARGET", "COMPENSATION", "FITS", "STRATEGY"],
            plan.Devices.Select(d => (IReadOnlyList<string>)
            [
                d.Name, ByteSize.Format(d.PeakBytes), ByteSize.Format(d.LowerBoundBytes), d.PeakOverLowerBound.ToString("0.000"),
                ByteSize.Format(d.NaiveBytes), ByteSize.Format(d.WeightsBytes), ByteSize.Format(d.TargetBytes), ByteSize.Format(d.CompensationBytes),
                d.Fits ? "yes" : "no (" + ByteSize.Format(d.OverflowBytes) + " over)", d.Strategy,
            ]), new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 })
        + (plan.Transfers.Count > 0 ? $"{plan.Transfers.Count} transfer(s) between devices, {ByteSize.Format(plan.Transfers.Sum(t => t.Bytes))}\n" : "");
}
