using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;

namespace ShmTools.Core.Planning;

/// <summary>Everything a plan is asked with, as both front ends bind it.</summary>
public sealed record PlanRequest
{
    public required string Model { get; init; }
    /// <summary>Profile names or files, in preference order; empty: the built-in "cpu".</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];
    /// <summary>"name=D1,D2,..." bindings for symbolic input dimensions.</summary>
    public IReadOnlyList<string> InputShapes { get; init; } = [];
    public PlanStrategy Strategy { get; init; } = PlanStrategy.Auto;
    public bool Detailed { get; init; }
    /// <summary>How long the exact stage may search over all devices (default: 1 s for auto, 10 s for exact).</summary>
    public TimeSpan? TimeLimit { get; init; }
    /// <summary>Write an SVG chart here (one file per device: NAME.svg, NAME-DEVICE.svg for the others).</summary>
    public string? ChartPath { get; init; }
    /// <summary>Turns a profile argument into a file path the way the front end's users write paths (PowerShell: provider paths); none: as given.</summary>
    public Func<string, string>? ProfilePathResolver { get; init; }

    /// <summary>Loads the model and profiles, plans, writes the charts; errors name the file and item.</summary>
    public MemoryPlan Run()
    {
        var plan = Plan();
        WriteCharts(plan);
        return ForOutput(plan);
    }

    /// <summary>
    /// Loads the model and profiles and plans; writes nothing (tensors kept when a chart is asked
    /// for). A front end that treats a chart path as an argument to refuse up front calls
    /// <see cref="PlanChartWriter.Check"/> first.
    /// </summary>
    public MemoryPlan Plan()
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var s in InputShapes)
        {
            try
            {
                var (name, dims) = ModelLoader.ParseInputShape(s);
                shapes[name] = dims;
            }
            catch (FormatException ex)
            {
                throw new Graph.ModelFormatException("input shape " + ex.Message);
            }
        }
        var profiles = ProfileCatalog.Load();
        var devices = profiles.Resolve(Profiles, ProfilePathResolver);
        var graph = ModelLoader.Load(Model, shapes);
        var plan = MemoryPlanner.Plan(graph, devices, Strategy, Detailed || ChartPath != null, TimeLimit);
        string file = Path.GetFileName(Model);
        bool saysMore = !string.IsNullOrWhiteSpace(graph.Name) && graph.Name != file && graph.Name != Path.GetFileNameWithoutExtension(file);
        return plan with
        {
            // Shown to people: the model's own words (anyone can write them) with control
            // characters escaped and at most 200 characters; the file name escaped as names are.
            Model = Text.TerminalText.Name(file),
            ModelPath = Model,
            Description = saysMore ? Shown(graph.Name) : null,
            Warnings = profiles.Warnings,
        };
    }

    /// <summary>
    /// Writes the SVG charts of a plan from <see cref="Plan"/>, if a chart was asked for. Throws a
    /// <see cref="ChartWriteException"/> (an <see cref="IOException"/>) naming the file that could not be written.
    /// </summary>
    public void WriteCharts(MemoryPlan plan)
    {
        if (ChartPath != null) new PlanChartWriter(ChartPath).Write(plan);
    }

    /// <summary>The plan as returned to users: per-tensor placements only when <see cref="Detailed"/>.</summary>
    public MemoryPlan ForOutput(MemoryPlan plan) =>
        Detailed || ChartPath == null ? plan : plan with { Devices = plan.Devices.Select(d => d with { Tensors = null }).ToList() };

    private static string Shown(string text)
    {
        var safe = Text.TerminalText.Safe(text.Trim());
        return safe.Length <= 200 ? safe : safe[..199] + "…";
    }
}
