using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios.PesterTwins;

/// <summary>Twins of tests/Pester/Get-ShmSegment.Tests.ps1, in the engine this machine has.</summary>
public sealed class GetShmSegmentTwins : IDisposable
{
    private readonly string _name = Segments.UniqueName("shmtools-pester-");
    private readonly Holder _held;

    public GetShmSegmentTwins() => _held = Holder.Mapping(_name, 65536);

    public void Dispose() => _held.Dispose();

    [Fact]
    public void Is_exported_by_the_module()
    {
        var r = Engine.Run("Import-Module $ModulePath; (Get-Command Get-ShmSegment).ModuleName");
        StepAssert.Clean(r);
        Assert.Equal("ShmTools", Assert.Single(r.Objects).Text);
    }

    [Fact]
    public void Finds_a_segment_held_by_a_live_process_by_name_with_the_holder()
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            $s = Get-ShmSegment -Name '{{_name}}'
            [pscustomobject]@{ Count = @($s).Count; Kind = $s.Kind; SizeBytes = $s.SizeBytes; HeldByHolder = $s.Attachments.Pid -contains {{_held.Pid}} }
            """);
        StepAssert.Clean(r);
        var o = Assert.Single(r.Objects).Properties;
        Assert.Equal("1", o["Count"]);
        Assert.Equal("Posix", o["Kind"]);
        Assert.Equal("65536", o["SizeBytes"]);
        Assert.Equal("True", o["HeldByHolder"]);
    }

    [Fact]
    public void Takes_wildcards_and_is_case_sensitive()
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            @(Get-ShmSegment -Name 'shmtools-pester-*' | Where-Object Name -EQ '{{_name}}').Count
            @(Get-ShmSegment -Name '{{_name.ToUpperInvariant()}}*').Count
            """);
        StepAssert.Clean(r);
        Assert.Equal(["1", "0"], r.Objects.Select(o => o.Text));
    }

    [Fact]
    public void Filters_by_process_id_also_from_the_pipeline_by_property_name()
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            (Get-ShmSegment -ProcessId {{_held.Pid}}).Name -contains '{{_name}}'
            ([pscustomobject]@{ ProcessId = {{_held.Pid}} } | Get-ShmSegment).Name -contains '{{_name}}'
            """);
        StepAssert.Clean(r);
        Assert.Equal(["True", "True"], r.Objects.Select(o => o.Text));
    }

    [Fact]
    public void Filters_by_kind_and_minimum_size()
    {
        var r = Engine.Run($$"""
            Import-Module $ModulePath
            @(Get-ShmSegment -Name '{{_name}}' -Kind SysV).Count
            @(Get-ShmSegment -Name '{{_name}}' -MinimumSize 1MB).Count
            @(Get-ShmSegment -Name '{{_name}}' -MinimumSize 64KB).Count
            """);
        StepAssert.Clean(r);
        Assert.Equal(["0", "0", "1"], r.Objects.Select(o => o.Text));
    }

    [Fact]
    public void Rejects_a_kind_that_does_not_exist()
    {
        var r = Engine.Run("Import-Module $ModulePath; Get-ShmSegment -Kind Bogus");
        var e = Assert.Single(r.Errors);
        Assert.EndsWith(",ShmTools.Commands.GetShmSegmentCommand", e.FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument", e.Category);
        Assert.Empty(r.Objects);
        Assert.Contains("Bogus", e.Message);
    }

    [Fact]
    public void Formats_as_a_table_without_error()
    {
        var r = Engine.Run($"Import-Module $ModulePath; Get-ShmSegment -Name '{_name}'");
        StepAssert.Clean(r);
        var row = Assert.Single(Assert.Single(RenderedTable.All(r.Console)).Rows);
        Assert.Equal(_name, RenderedTable.Squeeze(row["Name"]));
        Assert.Equal("64 KiB", row["Size"]);
        Assert.Equal(_held.Pid.ToString(), row["Holders"]);
    }
}
