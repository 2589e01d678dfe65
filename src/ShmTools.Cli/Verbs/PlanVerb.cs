using System.CommandLine;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Buffers;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools plan</c>: the twin of Invoke-MemoryPlan.</summary>
public static class PlanVerb
{
    public static Command Create(Option<bool> json)
    {
        var model = new Option<string?>("--model") { Description = "The model: .onnx, or a .yaml/.json graph." };
        var buffers = new Option<string?>("--buffers") { Description = "Instead of a model, a buffer list: CSV id,lower,upper,size (alive over [lower, upper))." };
        var capacity = new Option<string?>("--capacity") { Description = "With --buffers: find a placement within this many bytes (4M, 1048576) or prove there is none." };
        var timeLimit = new Option<string?>("--time-limit") { Description = "How long the exact search may run (500ms, 10s; default 1s for auto on a model, 10s otherwise)." };
        var output = new Option<string?>("--output") { Description = "With --buffers: also write the placed list as CSV id,lower,upper,size,offset." };
        var profile = new Option<string[]>("--profile") { Description = "Device profile name or YAML file (repeatable; order is preference order). Default: cpu.", Arity = ArgumentArity.OneOrMore };
        var shape = new Option<string[]>("--input-shape") { Description = "Bind a model input's shape: NAME=D1,D2,... (repeatable).", Arity = ArgumentArity.OneOrMore };
        var strategy = new Option<string>("--strategy") { Description = EnumWords.List<PlanStrategy>() + ".", DefaultValueFactory = _ => EnumWords.Word(PlanStrategy.Auto) };
        var chart = new Option<string?>("--chart") { Description = "Write an SVG chart of the plan to this file." };
        var detailed = new Option<bool>("--detailed") { Description = "Include every tensor's placement." };
        var command = new Command("plan", "Plan a model's memory on device profiles (sub-functions, execution units, block reuse).");
        foreach (var o in new Option[] { model, buffers, profile, shape, strategy, chart, detailed, capacity, timeLimit, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var chosen = EnumWords.TryParse<PlanStrategy>(parse.GetValue(strategy), out var picked) ? picked
                : throw new UsageException($"--strategy {parse.GetValue(strategy)}: not a strategy ({EnumWords.List<PlanStrategy>()}).");
            var limit = LivenessOptionsBinder.Time(parse.GetValue(timeLimit), "--time-limit");
            string? modelFile = parse.GetValue(model), bufferFile = parse.GetValue(buffers);
            if ((modelFile == null) == (bufferFile == null)) throw new UsageException("plan needs one of --model FILE or --buffers FILE.csv.");
            if (bufferFile != null)
            {
                foreach (var (name, given) in new[] { ("--profile", parse.GetValue(profile) is { Length: > 0 }), ("--input-shape", parse.GetValue(shape) is { Length: > 0 }), ("--chart", parse.GetValue(chart) != null), ("--detailed", parse.GetValue(detailed)) })
                    if (given) throw new UsageException($"{name} applies to --model, not to --buffers.");
                long? bytes = null;
                if (parse.GetValue(capacity) is { } text)
                    bytes = ByteSize.TryParse(text, out long b) ? b : throw new UsageException($"--capacity {text}: not a size in bytes (e.g. 1048576, 4M).");
                var placed = new BufferPlanRequest { File = bufferFile, Capacity = bytes, TimeLimit = limit, Strategy = chosen, OutputPath = parse.GetValue(output) }.Run();
                if (parse.GetValue(json)) JsonOutput.Write(placed, CliJsonContext.Default.BufferPlan);
                else Console.Out.Write(Render(placed));
                return ExitCodes.Success;
            }
            foreach (var (name, given) in new[] { ("--capacity", parse.GetValue(capacity) != null), ("--output", parse.GetValue(output) != null) })
                if (given) throw new UsageException($"{name} applies to --buffers; a model's capacity comes from its device profiles.");
            var request = new PlanRequest
            {
                Model = modelFile!,
                Profiles = parse.GetValue(profile) ?? [],
                InputShapes = parse.GetValue(shape) ?? [],
                Strategy = chosen,
                Detailed = parse.GetValue(detailed),
                ChartPath = parse.GetValue(chart),
                TimeLimit = limit,
            };
            // A chart path that can never be written is a bad argument: refused before the planning work.
            if (request.ChartPath != null) PlanChartWriter.Check(request.ChartPath);
            var plan = request.Plan();
            foreach (var w in plan.Warnings) Console.Error.WriteLine("warning: " + w);
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

    private static string Render(BufferPlan plan) =>
        $"buffers {plan.File}: {plan.Buffers.Count}, strategy {plan.Strategy}, {plan.SolveSeconds:0.000} s\n" +
        Output.Table(["PEAK", "LOWER BOUND", "PEAK/LB", "CAPACITY", "FITS", "OPTIMAL"],
            [[
                plan.PeakBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), plan.LowerBoundBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), plan.PeakOverLowerBound.ToString("0.000"),
                plan.CapacityBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                plan.FitsCapacity switch { true => "yes", false => plan.ProvenInfeasible ? "no (proven)" : "no (not proven)", null => "-" },
                plan.ProvenOptimal ? "proven" : "not proven",
            ]], new HashSet<int> { 0, 1, 2, 3 });

    private static string Render(MemoryPlan plan) =>
        $"model {plan.Model}{(plan.Description is { } d ? $" ({d})" : "")}, strategy {plan.Strategy}\n" +
        Output.Table(["DEVICE", "PEAK", "LOWER BOUND", "PEAK/LB", "NAIVE", "WEIGHTS", "TARGET", "COMPENSATION", "FITS", "STRATEGY"],
            plan.Devices.Select(d => (IReadOnlyList<string>)
            [
                d.Name, ByteSize.Format(d.PeakBytes), ByteSize.Format(d.LowerBoundBytes), d.PeakOverLowerBound.ToString("0.000"),
                ByteSize.Format(d.NaiveBytes), ByteSize.Format(d.WeightsBytes), ByteSize.Format(d.TargetBytes), ByteSize.Format(d.CompensationBytes),
                d.Fits ? "yes" : "no (" + ByteSize.Format(d.OverflowBytes) + " over)", d.Strategy + (d.ProvenOptimal ? " (optimal)" : ""),
            ]), new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 })
        + (plan.Transfers.Count > 0 ? $"{plan.Transfers.Count} transfer(s) between devices, {ByteSize.Format(plan.Transfers.Sum(t => t.Bytes))}\n" : "");
}
