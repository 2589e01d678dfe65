using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios.PesterTwins;

/// <summary>Twins of tests/Pester/Test-ShmLiveness.Tests.ps1 (Test-ShmLiveness and Clear-StaleShm).</summary>
public sealed class ShmLivenessTwins
{
    [Fact]
    public void Judges_a_dead_owners_segment_Stale_with_evidence()
    {
        string name = Segments.Dead();
        try
        {
            var r = Engine.Run($$"""
                Import-Module $ModulePath
                $r = Test-ShmLiveness -Name '{{name}}'
                [pscustomobject]@{ Verdict = $r.Verdict; OwnerEvidence = $r.Evidence.Kind -contains 'Owner'; Reason = $r.Reason }
                """);
            StepAssert.Clean(r);
            var o = Assert.Single(r.Objects).Properties;
            Assert.Equal("Stale", o["Verdict"]);
            Assert.Equal("True", o["OwnerEvidence"]);
            Assert.Contains("dead", o["Reason"]);
        }
        finally { Segments.Remove(name); }
    }

    [Fact]
    public void Takes_segments_from_Get_ShmSegment_on_the_pipeline()
    {
        string name = Segments.Dead();
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; (Get-ShmSegment -Name '{name}' | Test-ShmLiveness).Verdict");
            StepAssert.Clean(r);
            Assert.Equal("Stale", Assert.Single(r.Objects).Text);
        }
        finally { Segments.Remove(name); }
    }

    [Fact]
    public void WhatIf_names_every_target_and_removes_nothing()
    {
        string[] names = [Segments.Dead(), Segments.Dead(), Segments.Dead()];
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; Get-ShmSegment -Name {string.Join(',', names.Select(n => $"'{n}'"))} | Clear-StaleShm -WhatIf");
            StepAssert.Clean(r);
            foreach (var n in names)
            {
                Assert.Contains(r.HostText.Split('\n'), l => l.StartsWith("What if:") && l.Contains(n));
                Assert.True(File.Exists(Segments.PathOf(n)), n + " was removed under -WhatIf");
            }
        }
        finally { Segments.Remove(names); }
    }

    [Fact]
    public void Force_removes_stale_segments_without_a_prompt_and_returns_records()
    {
        string name = Segments.Dead();
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; Clear-StaleShm -Name '{name}' -Force");
            StepAssert.Clean(r);
            Assert.Empty(r.Prompts);
            var o = Assert.Single(r.Objects).Properties;
            Assert.Equal("Removed", o["Action"]);
            Assert.Equal("8192", o["BytesFreed"]);
            Assert.False(File.Exists(Segments.PathOf(name)));
        }
        finally { Segments.Remove(name); }
    }

    [Fact]
    public void Force_never_overrides_WhatIf()
    {
        string name = Segments.Dead();
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; Clear-StaleShm -Name '{name}' -Force -WhatIf");
            StepAssert.Clean(r);
            Assert.True(File.Exists(Segments.PathOf(name)));
        }
        finally { Segments.Remove(name); }
    }

    [Fact]
    public void Without_Force_asks_and_No_keeps_the_segment()
    {
        string name = Segments.Dead();
        try
        {
            var r = Engine.Run($"Import-Module $ModulePath; Clear-StaleShm -Name '{name}'", answers: "no");
            StepAssert.Clean(r);
            var prompt = Assert.Single(r.Prompts);
            Assert.Equal("no", prompt.Answer);
            Assert.Contains(name, prompt.Message);
            Assert.True(File.Exists(Segments.PathOf(name)));
        }
        finally { Segments.Remove(name); }
    }

    [Fact]
    public void Keeps_a_live_segment()
    {
        string name = Segments.UniqueName("shmtools-pester-live-");
        using var held = Holder.Mapping(name, 4096);
        var r = Engine.Run($"Import-Module $ModulePath; Clear-StaleShm -Name '{name}' -Force");
        StepAssert.Clean(r);
        var o = Assert.Single(r.Objects).Properties;
        Assert.Equal("Kept", o["Action"]);
        Assert.Equal("Live", o["Verdict"]);
        Assert.True(File.Exists(Segments.PathOf(name)));
    }

    [Fact]
    public void Refuses_IncludeOrphaned_without_OlderThan()
    {
        var r = Engine.Run("Import-Module $ModulePath; Clear-StaleShm -Name nothing -IncludeOrphaned -Force");
        var e = Assert.Single(r.Errors);
        Assert.Equal("OrphanedNeedsOlderThan,ShmTools.Commands.ClearStaleShmCommand", e.FullyQualifiedErrorId);
    }
}
