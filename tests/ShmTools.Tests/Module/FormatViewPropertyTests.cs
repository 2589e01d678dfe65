using System.Xml.Linq;
using ShmTools.Core.Shm;

namespace ShmTools.Tests.Module;

/// <summary>
/// The format views against the object model: a property a view names must exist (PowerShell
/// shows an empty cell, silently, when it does not), and the columns that show names other users
/// chose show the escaped form, never the raw text a terminal would obey.
/// </summary>
public sealed class FormatViewPropertyTests
{
    private static readonly string FormatFile = Path.Combine(FindRepoRoot(), "module", "ShmTools.format.ps1xml");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ShmTools.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<(string View, Type Type, List<string> Properties)> CoreViews()
    {
        foreach (var view in XDocument.Load(FormatFile).Descendants("View"))
        {
            var typeName = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value).FirstOrDefault(t => t.StartsWith("ShmTools.Core.", StringComparison.Ordinal));
            if (typeName == null) continue;
            var type = typeof(ShmSegment).Assembly.GetType(typeName) ?? throw new InvalidOperationException($"view {view.Element("Name")!.Value}: no type {typeName}");
            yield return (view.Element("Name")!.Value, type, view.Descendants("PropertyName").Select(p => p.Value).ToList());
        }
    }

    [Fact]
    public void Every_property_a_view_shows_exists_on_its_type()
    {
        var views = CoreViews().ToList();
        Assert.NotEmpty(views);
        foreach (var (view, type, properties) in views)
            foreach (var p in properties)
                Assert.True(type.GetProperty(p) != null, $"view {view}: {type.Name} has no property {p}");
    }

    [Theory]
    [InlineData("ShmSegment")]
    [InlineData("LivenessResult")]
    [InlineData("LivenessResultList")]
    [InlineData("RemovalRecord")]
    [InlineData("ShmAttachment")]
    public void Name_columns_show_the_escaped_name(string viewName)
    {
        var (_, _, properties) = Assert.Single(CoreViews(), v => v.View == viewName);
        Assert.DoesNotContain("Name", properties);
        Assert.DoesNotContain("ProcessName", properties);
        Assert.DoesNotContain("Path", properties);
        Assert.Contains(properties, p => p is "DisplayName" or "DisplayProcessName");
    }
}
