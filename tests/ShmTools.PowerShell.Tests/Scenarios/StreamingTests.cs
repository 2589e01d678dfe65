using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Get-ShmSegment writes segments as they are made, batch after batch, in the inventory's order.</summary>
public sealed class StreamingTests
{
    [Fact]
    public void Many_segments_arrive_in_order_across_batches_and_a_missing_name_is_still_reported()
    {
        string prefix = Segments.UniqueName("st-");
        var names = Enumerable.Range(0, 1300).Select(i => $"{prefix}-{i:x}").ToList();
        foreach (var n in names) File.WriteAllBytes(Segments.PathOf(n), new byte[512]);
        try
        {
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new() { Script = "Import-Module $ModulePath" },
                    new() { Script = $"Get-ShmSegment -Name '{prefix}-*' | ForEach-Object Name", Render = false },
                    new() { Script = $"Get-ShmSegment -Name '{names[1299]}','{prefix}-missing' | ForEach-Object Name" },
                ],
            });
            StepAssert.Clean(r.Steps[1]);
            Assert.Equal(names.Order(StringComparer.Ordinal), r.Steps[1].Objects.Select(o => o.Text));
            Assert.Equal(names[1299], Assert.Single(r.Steps[2].Objects).Text);
            var miss = Assert.Single(r.Steps[2].Errors);
            Assert.Equal("ShmSegmentNotFound,ShmTools.Commands.GetShmSegmentCommand", miss.FullyQualifiedErrorId);
            Assert.Contains(prefix + "-missing", miss.Message);
        }
        finally
        {
            Segments.Remove(names.ToArray());
        }
    }
}
