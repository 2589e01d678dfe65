using System.Diagnostics;

namespace ShmTools.HelpBuilder.Tests;

/// <summary>
/// Broken help pages fail with the file and line of the problem, and nothing is written; help that
/// has drifted from the cmdlet is a warning at the line that drifted.
/// </summary>
public sealed class BrokenPageTests : IDisposable
{
    private readonly string _docs = Pages.CopyDocs();

    public void Dispose() => Directory.Delete(_docs, recursive: true);

    private HelpBuild Run()
    {
        var build = Pages.Build(_docs);
        var written = build.Run();
        if (build.Diagnostics.HasErrors) Assert.Empty(written);
        return build;
    }

    private static void AssertError(HelpBuild build, string page, int line, string text)
    {
        Assert.True(build.Diagnostics.HasErrors);
        Assert.Contains(build.Diagnostics.All, d => d.Severity == HelpSeverity.Error && Path.GetFileName(d.File) == page && d.Line == line && d.Message.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_parameter_is_an_error_at_its_heading()
    {
        int line = Pages.ReplaceLine(_docs, "Get-ShmSegment.md", "### -Owner", "### -Ownr");
        var build = Run();
        AssertError(build, "Get-ShmSegment.md", line, "unknown parameter -Ownr");
        Assert.False(Directory.Exists(Path.Combine(_docs, "out")));
    }

    [Fact]
    public void A_missing_section_is_an_error()
    {
        int line = Pages.ReplaceLine(_docs, "Test-ShmLiveness.md", "## DESCRIPTION", "## DESCRIPTON");
        var build = Run();
        AssertError(build, "Test-ShmLiveness.md", line, "unknown section '## DESCRIPTON'");
        Assert.Contains(build.Diagnostics.All, d => d.Message == "missing section '## DESCRIPTION'");
    }

    [Fact]
    public void Sections_out_of_order_are_an_error()
    {
        Pages.ReplaceLine(_docs, "Get-DeviceProfile.md", "## SYNOPSIS", "## NOTES_PLACEHOLDER");
        int notes = Pages.ReplaceLine(_docs, "Get-DeviceProfile.md", "## NOTES", "## SYNOPSIS");
        Pages.ReplaceLine(_docs, "Get-DeviceProfile.md", "## NOTES_PLACEHOLDER", "## NOTES");
        AssertError(Run(), "Get-DeviceProfile.md", notes, "out of order");
    }

    [Fact]
    public void A_bad_yaml_value_or_key_is_an_error_at_its_line()
    {
        var page = Path.Combine(_docs, "Get-GpuAllocation.md");
        var lines = File.ReadAllLines(page).ToList();
        int required = lines.FindIndex(l => l == "Required: False");
        lines[required] = "Required: maybe";
        int position = lines.FindIndex(required, l => l == "Position: Named");
        lines[position] = "Positon: Named";
        File.WriteAllLines(page, lines);
        var build = Run();
        AssertError(build, "Get-GpuAllocation.md", required + 1, "'required' must be True or False, not 'maybe'");
        AssertError(build, "Get-GpuAllocation.md", position + 1, "unknown key 'Positon'");
    }

    [Fact]
    public void An_example_without_code_is_an_error()
    {
        var page = Path.Combine(_docs, "Invoke-MemoryPlan.md");
        var text = File.ReadAllText(page);
        int start = text.IndexOf("### Example 1", StringComparison.Ordinal);
        int fence = text.IndexOf("```powershell", start, StringComparison.Ordinal);
        int end = text.IndexOf("```\n", fence + 3, StringComparison.Ordinal) + 4;
        File.WriteAllText(page, text[..fence] + text[end..]);
        int line = text[..start].Count(c => c == '\n') + 1;
        AssertError(Run(), "Invoke-MemoryPlan.md", line, "has no code block");
    }

    [Fact]
    public void A_parameter_set_the_cmdlet_lacks_is_an_error()
    {
        int line = Pages.ReplaceLine(_docs, "Test-ShmLiveness.md", "### InputObject", "### Pipeline");
        AssertError(Run(), "Test-ShmLiveness.md", line, "'Pipeline' is not a parameter set of Test-ShmLiveness");
    }

    [Fact]
    public void A_page_for_no_cmdlet_and_a_title_that_is_not_its_file_are_errors()
    {
        File.Copy(Path.Combine(_docs, "Get-ShmSegment.md"), Path.Combine(_docs, "Get-Nothing.md"));
        var build = Run();
        AssertError(build, "Get-Nothing.md", 8, "does not match the file name");
        File.Delete(Path.Combine(_docs, "Get-Nothing.md"));
        File.WriteAllText(Path.Combine(_docs, "Get-Nothing.md"), File.ReadAllText(Path.Combine(_docs, "Get-ShmSegment.md")).Replace("# Get-ShmSegment\n", "# Get-Nothing\n"));
        AssertError(Run(), "Get-Nothing.md", 8, "ShmTools.dll has no cmdlet Get-Nothing");
    }

    [Fact]
    public void An_about_topic_without_its_short_description_is_an_error()
    {
        Pages.ReplaceLine(_docs, "about_ShmTools.md", "## SHORT DESCRIPTION", "## SUMMARY");
        AssertError(Run(), "about_ShmTools.md", 1, "missing section '## SHORT DESCRIPTION'");
    }

    [Theory]
    [InlineData("")]
    [InlineData("---\nschema: 2.0.0\n---\n")]
    [InlineData("# Get-ShmSegment\n\n## SYNOPSIS\n")]
    [InlineData("\u0000\u0001\u00ff garbage ``` ```yaml\n### -\n")]
    public void Truncated_or_garbage_pages_are_errors_never_crashes(string content)
    {
        File.WriteAllText(Path.Combine(_docs, "Get-ShmSegment.md"), content);
        var build = Run();
        Assert.Contains(build.Diagnostics.All, d => d.Severity == HelpSeverity.Error && Path.GetFileName(d.File) == "Get-ShmSegment.md");
    }

    [Fact]
    public void Drift_from_the_cmdlet_is_a_warning_at_the_line_and_the_help_is_still_written()
    {
        var page = Path.Combine(_docs, "Get-ShmSegment.md");
        var lines = File.ReadAllLines(page).ToList();
        int heading = lines.IndexOf("### -Name");
        int position = lines.FindIndex(heading, l => l == "Position: 0");
        lines[position] = "Position: 1";
        int aliases = lines.FindIndex(lines.IndexOf("### -ProcessId"), l => l == "Aliases: Id, Pid");
        lines[aliases] = "Aliases: Id";
        File.WriteAllLines(page, lines);
        var build = Pages.Build(_docs);
        var written = build.Run();
        Assert.False(build.Diagnostics.HasErrors, string.Join("\n", build.Diagnostics.All));
        Assert.Equal(2, written.Count);
        Assert.Contains(build.Diagnostics.All, d => d.Severity == HelpSeverity.Warning && d.Line == lines.FindLastIndex(position, l => l == "```yaml") + 1 && d.Message.Contains("Position is 0 in the cmdlet, 1 here"));
        Assert.Contains(build.Diagnostics.All, d => d.Severity == HelpSeverity.Warning && d.Message.Contains("-ProcessId: Aliases are 'Id, Pid' in the cmdlet, 'Id' here"));
    }

    [Fact]
    public void Stars_of_a_path_read_as_emphasis_are_a_warning_at_their_line()
    {
        int line = Pages.ReplaceLine(_docs, "about_ShmTools.md", "## LONG DESCRIPTION", "## LONG DESCRIPTION\n\nRegions live in /usr/local/vgpu/containers/*/*.cache here.");
        var build = Run();
        Assert.Contains(build.Diagnostics.All, d => d.Severity == HelpSeverity.Warning && Path.GetFileName(d.File) == "about_ShmTools.md"
            && d.Line == line + 2 && d.Message.Contains("read as emphasis around '/'"));
        Assert.False(build.Diagnostics.HasErrors);
    }

    [Fact]
    public void The_tool_prints_msbuild_errors_naming_file_and_line_and_exits_1()
    {
        int line = Pages.ReplaceLine(_docs, "Get-ShmSegment.md", "### -Kind", "### -Sort");
        var (code, stdout) = Tool("--docs", _docs, "--assembly", Pages.ModuleAssembly, "--out", Path.Combine(_docs, "out"),
            "--reference", string.Join(';', Pages.References));
        Assert.Equal(1, code);
        Assert.Contains($"{Path.Combine(_docs, "Get-ShmSegment.md")}({line}): error SHMHELP: unknown parameter -Sort", stdout);
        Assert.False(File.Exists(Path.Combine(_docs, "out", "ShmTools.dll-Help.xml")));
    }

    [Fact]
    public void The_tool_rejects_bad_arguments_with_exit_2()
    {
        Assert.Equal(2, Tool("--docs").Code);
        Assert.Equal(2, Tool("--bogus", "x").Code);
        Assert.Equal(2, Tool("--docs", _docs).Code);
    }

    private static (int Code, string Stdout) Tool(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ShmTools.HelpBuilder.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "the tool did not finish");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
