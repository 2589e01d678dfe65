using ShmTools.PowerShell.Tests.Runner;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>Assertions on what a step showed the user.</summary>
public static class StepAssert
{
    /// <summary>No error reached the user, and none hides in $Error (format views included).</summary>
    public static void Clean(StepResult r)
    {
        Assert.True(r.Errors.Count == 0, "errors: " + string.Join(" | ", r.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Message}")) + "\n" + r.Console);
        Assert.True(r.ErrorVariable.Count == 0, "$Error: " + string.Join(" | ", r.ErrorVariable.Select(e => $"{e.FullyQualifiedErrorId}: {e.Message}")));
    }

    /// <summary>Every progress activity that started also completed.</summary>
    public static void ProgressCompleted(StepResult r)
    {
        foreach (var g in r.Progress.GroupBy(p => (p.SourceId, p.ActivityId)))
            Assert.True(g.Any(p => p.RecordType == "Completed"), $"progress activity '{g.First().Activity}' (id {g.Key.ActivityId}) never completed");
    }

    /// <summary>No rendered line is wider than the console.</summary>
    public static void FitsWidth(StepResult r, int width = 80)
    {
        foreach (var line in r.Console.Split('\n'))
            Assert.True(line.TrimEnd().Length <= width, $"line wider than {width}: '{line}'");
    }

    public static IEnumerable<string> Lines(this StepResult r) => r.Console.Split('\n').Select(l => l.TrimEnd());
}
