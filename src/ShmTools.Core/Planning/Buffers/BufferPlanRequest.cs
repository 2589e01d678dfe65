using System.Diagnostics;
using ShmTools.Core.Planning.Exact;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;

namespace ShmTools.Core.Planning.Buffers;

/// <summary>A buffer list to place, as both front ends bind it: <c>shmtools plan --buffers</c> and <c>Invoke-MemoryPlan -BufferFile</c>.</summary>
public sealed record BufferPlanRequest
{
    public required string File { get; init; }
    /// <summary>Find a placement within this many bytes, or prove there is none (null: minimise the peak).</summary>
    public long? Capacity { get; init; }
    /// <summary>How long the exact search may run (default 10 s).</summary>
    public TimeSpan? TimeLimit { get; init; }
    /// <summary>Auto and Exact search; GreedyBySize stops at the heuristic.</summary>
    public PlanStrategy Strategy { get; init; } = PlanStrategy.Auto;
    /// <summary>Also write the placed list as CSV id,lower,upper,size,offset here.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Reads the list, places it and writes the CSV; errors name the file and line.</summary>
    public BufferPlan Run()
    {
        if (Capacity is < 0) throw new ModelFormatException($"capacity {Capacity}: must be 0 or more bytes.");
        if (Strategy is PlanStrategy.UseCount or PlanStrategy.UseCountInPlace)
            throw new ModelFormatException($"strategy {Strategy}: a buffer list has no operators to count uses of; use auto, exact or greedy-by-size.");
        if (OutputPath != null && Outputs.AtomicTextFile.Problem(OutputPath) is { } problem)
            throw new ModelFormatException("cannot write the placed buffer list to " + problem); // refused before the search
        var buffers = BufferListReader.Read(File);
        var plan = Plan(File, buffers, Capacity, TimeLimit ?? MemoryPlanner.DefaultExactTimeLimit, Strategy);
        if (OutputPath != null)
        {
            try
            {
                Outputs.AtomicTextFile.Write(OutputPath, BufferListWriter.Csv(plan.Buffers)); // a link at the path is replaced, never followed
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new ModelFormatException($"{OutputPath}: cannot write the placed buffer list: {ex.Message}");
            }
        }
        return plan;
    }

    public static BufferPlan Plan(string source, IReadOnlyList<BufferSpec> buffers, long? capacity, TimeSpan timeLimit, PlanStrategy strategy)
    {
        var clock = Stopwatch.StartNew();
        var problem = PlacementProblem.FromIntervals(buffers.Select(b => b.Lower).ToList(), buffers.Select(b => b.Upper).ToList(), buffers.Select(b => b.Size).ToList());
        long lowerBound = problem.LowerBound();
        var offsets = GreedyPlacement.BySize(problem);
        long peak = problem.PeakOf(offsets);
        string used = "greedy-by-size";
        bool proven = peak <= lowerBound, infeasible = false;
        long nodes = 0;
        if (strategy != PlanStrategy.GreedyBySize && (!proven || capacity is long))
        {
            var solution = ExactPlacementSolver.Solve(problem, offsets, timeLimit, capacity);
            if (solution.Peak < peak || strategy == PlanStrategy.Exact) used = "exact";
            offsets = solution.Offsets;
            peak = solution.Peak;
            proven = solution.ProvenOptimal || peak <= lowerBound;
            infeasible = solution.CapacityOutcome == PackOutcome.Infeasible;
            nodes = solution.Nodes;
        }
        return new BufferPlan
        {
            File = source,
            PeakBytes = peak,
            LowerBoundBytes = lowerBound,
            CapacityBytes = capacity,
            FitsCapacity = capacity is long c ? peak <= c : null,
            ProvenInfeasible = infeasible,
            ProvenOptimal = proven,
            Strategy = used,
            SolveSeconds = clock.Elapsed.TotalSeconds,
            SearchNodes = nodes,
            Buffers = buffers.Select((b, i) => new PlacedBuffer(b.Id, b.Lower, b.Upper, b.Size, offsets[i])).ToList(),
        };
    }
}
