using ShmTools.Tests.Support;
using ShmTools.PowerShell.Tests.Runner;
using ShmTools.PowerShell.Tests.Support;

namespace ShmTools.PowerShell.Tests.Scenarios;

/// <summary>Names by value and by property name, results and files from the pipeline, output as input arrives.</summary>
public sealed class PipelineBindingTests
{
    [Fact]
    public void Names_results_and_segments_bind_from_the_pipeline_and_results_stream()
    {
        string a = "pb-a-" + Random.Shared.Next(1, 1 << 30), b = "pb-b-" + Random.Shared.Next(1, 1 << 30);
        File.WriteAllBytes("/dev/shm/" + a, new byte[4096]);
        File.WriteAllBytes("/dev/shm/" + b, new byte[4096]);
        try
        {
            var r = Engine.Run(new Scenario
            {
                Steps =
                [
                    new() { Script = "Import-Module $ModulePath" },
                    // 1: plain strings by value
                    new() { Script = $"'{a}','{b}' | Test-ShmLiveness | ForEach-Object Name" },
                    // 2: Name by property name (PSCustomObject and FileInfo)
                    new() { Script = $"[pscustomobject]@{{ Name = '{a}' }}, [IO.FileInfo]'/dev/shm/{b}' | Test-ShmLiveness | ForEach-Object Name" },
                    // 3: results into Test-ShmLiveness and Clear-StaleShm
                    new() { Script = $"Test-ShmLiveness -Name '{a}' | Test-ShmLiveness | ForEach-Object {{ $_.GetType().Name + ' ' + $_.Name }}" },
                    new() { Script = $"Test-ShmLiveness -Name '{a}' | Clear-StaleShm -WhatIf | ForEach-Object Name" },
                    // 5: results are written as each input is judged, not all at the end
                    new() { Script = $$"""
                        $log = [Collections.Generic.List[string]]::new()
                        '{{a}}','{{b}}' | ForEach-Object { $log.Add("in $_"); $_ } | Test-ShmLiveness | ForEach-Object { $log.Add("out " + $_.Name) }
                        $log -join ';'
                        """ },
                    // 6: the same for Get-ShmSegment, a segment found twice is written once, -PipelineVariable sees each
                    new() { Script = $$"""
                        $log = [Collections.Generic.List[string]]::new()
                        '{{a}}','pb-a-*','{{b}}' | ForEach-Object { $log.Add("in $_"); $_ } | Get-ShmSegment -PipelineVariable seg | ForEach-Object { $log.Add("out " + $seg.Name) }
                        $log -join ';'
                        """ },
                    // 7: a pid by value and by property name
                    new() { Script = "$PID | Get-ShmSegment | ForEach-Object Name; [pscustomobject]@{ ProcessId = $PID } | Get-ShmSegment | ForEach-Object Name" },
                    // 8: a record with a pid does not leave it behind for the next record; Name by property name
                    new() { Script = $"[pscustomobject]@{{ ProcessId = $PID }}, '{a}', [pscustomobject]@{{ Name = '{b}' }} | Get-ShmSegment | ForEach-Object Name" },
                    // 9: segment objects piped one by one are judged one by one: -PipelineVariable pairs each result with its input
                    new() { Script = $$"""
                        $log = [Collections.Generic.List[string]]::new()
                        Get-ShmSegment -Name '{{a}}','{{b}}' -PipelineVariable seg | ForEach-Object { $log.Add("in " + $_.Name); $_ } | Test-ShmLiveness | ForEach-Object { $log.Add("out " + $_.Name + "=" + $seg.Name) }
                        $log -join ';'
                        """ },
                ],
            });
            foreach (var s in r.Steps) StepAssert.Clean(s);
            Assert.Equal([a, b], r.Steps[1].Objects.Select(o => o.Text));
            Assert.Equal([a, b], r.Steps[2].Objects.Select(o => o.Text));
            Assert.Equal("LivenessResult " + a, Assert.Single(r.Steps[3].Objects).Text);
            Assert.Equal(a, Assert.Single(r.Steps[4].Objects).Text);
            Assert.Equal($"in {a};out {a};in {b};out {b}", Assert.Single(r.Steps[5].Objects).Text);
            Assert.Equal($"in {a};out {a};in pb-a-*;in {b};out {b}", Assert.Single(r.Steps[6].Objects).Text);
            Assert.Empty(r.Steps[7].Objects); // the engine process holds no segment
            Assert.Equal([a, b], r.Steps[8].Objects.Select(o => o.Text));
            var ordered = new[] { a, b }.Order(StringComparer.Ordinal).ToArray(); // Get-ShmSegment writes by name
            Assert.Equal($"in {ordered[0]};out {ordered[0]}={ordered[0]};in {ordered[1]};out {ordered[1]}={ordered[1]}", Assert.Single(r.Steps[9].Objects).Text);
        }
        finally
        {
            File.Delete("/dev/shm/" + a);
            File.Delete("/dev/shm/" + b);
        }
    }

    [Fact]
    public void Model_files_bind_as_FileInfo_path_objects_and_strings_and_each_is_planned_as_it_arrives()
    {
        string model = TestModels.Classifier;
        var r = Engine.Run(new Scenario
        {
            Steps =
            [
                new() { Script = "Import-Module $ModulePath" },
                new() { Script = $"[IO.FileInfo]'{model}' | Invoke-MemoryPlan -InputShape x=1,3,48,192 | ForEach-Object {{ $_.Devices[0].Name }}" },
                new() { Script = $"[pscustomobject]@{{ Path = '{model}' }} | Invoke-MemoryPlan -InputShape @{{x=1,3,48,192}} | ForEach-Object {{ $_.Devices.Count }}" },
                new() { Script = $$"""
                    $log = [Collections.Generic.List[string]]::new()
                    '{{model}}','{{model}}' | ForEach-Object { $log.Add('in'); $_ } | Invoke-MemoryPlan -InputShape 'x=1,3,48,192' | ForEach-Object { $log.Add('out') }
                    $log -join ';'
                    """ },
            ],
        });
        foreach (var s in r.Steps) StepAssert.Clean(s);
        Assert.Equal("cpu", Assert.Single(r.Steps[1].Objects).Text);
        Assert.Equal("1", Assert.Single(r.Steps[2].Objects).Text);
        Assert.Equal("in;out;in;out", Assert.Single(r.Steps[3].Objects).Text);
    }
}
