#requires -Version 7.4
# Pester 5, against the built module.

BeforeAll {
    $manifest = $env:SHMTOOLS_MODULE
    if (-not $manifest) { $manifest = Join-Path $PSScriptRoot '../../out/ShmTools/ShmTools.psd1' }
    Import-Module $manifest -Force
    $script:graph = Join-Path $TestDrive 'chain.yaml'
    @'
inputs: [ { name: x, shape: [1, 1, 40, 40] } ]
nodes:
  - { name: conv1, op: Conv, inputs: [x], outputs: [ { name: a, shape: [1, 1, 20, 40] } ], weightsBytes: 1000 }
  - { name: relu1, op: Relu, inputs: [a], outputs: [ { name: b, shape: [1, 1, 40, 40] } ] }
outputs: [b]
'@ | Set-Content $script:graph
}

Describe 'Invoke-MemoryPlan' {
    It 'plans a graph on the default cpu profile' {
        $plan = Invoke-MemoryPlan $script:graph
        $plan.Devices[0].Name | Should -Be 'cpu'
        $plan.Devices[0].PeakBytes | Should -BeGreaterOrEqual $plan.Devices[0].LowerBoundBytes
        $plan.Devices[0].WeightsBytes | Should -Be 1000
    }

    It 'adds tensors with -Detailed and writes a chart' {
        $svg = Join-Path $TestDrive 'plan.svg'
        $plan = Invoke-MemoryPlan $script:graph -Profile t4 -Strategy UseCount -Detailed -ChartPath $svg
        $plan.Devices[0].Tensors.Name | Should -Contain 'a'
        $svg | Should -Exist
    }

    It 'stops with InvalidModel for a bad file' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        "nodes: [ { name: n, op: Relu, inputs: [nope], outputs: [ { name: y, shape: [1] } ] } ]" | Set-Content $bad
        { Invoke-MemoryPlan $bad } | Should -Throw -ErrorId 'InvalidModel,ShmTools.Commands.InvokeMemoryPlanCommand'
    }
}

Describe 'Get-DeviceProfile' {
    It 'lists built-in profiles by wildcard' {
        (Get-DeviceProfile 'a100*').Name | Should -Be @('a100-40gb', 'a100-80gb')
    }

    It 'completes profile names' {
        $line = 'Invoke-MemoryPlan x.onnx -Profile h10'
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Contain "'h100-80gb'"
    }
}
