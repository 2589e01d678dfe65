#requires -Version 7.4
# Pester 5, against the built module. No GPU needed: a stand-in libnvidia-ml is built from C.

BeforeAll {
    $manifest = $env:SHMTOOLS_MODULE
    if (-not $manifest) { $manifest = Join-Path $PSScriptRoot '../../out/ShmTools/ShmTools.psd1' }
    Import-Module $manifest -Force
    $helpers = Join-Path $PSScriptRoot '../ShmTools.Tests/helpers'
    $psi = [System.Diagnostics.ProcessStartInfo]::new('python3')
    foreach ($a in @((Join-Path $helpers 'holder.py'), 'file', '/dev/shm', ('shmtools-pester-gpu-' + (Get-Random)), '4096', 'map')) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardInput = $true; $psi.RedirectStandardOutput = $true
    $script:worker = [System.Diagnostics.Process]::Start($psi)
    $null = $script:worker.StandardOutput.ReadLine()
    $script:lib = Join-Path $TestDrive 'libnvidia-ml.so.1'
    gcc -shared -fPIC -DSTRIDE=32 "-DPID_A=$($script:worker.Id)" -DPID_B=4100000 -o $script:lib (Join-Path $helpers 'native/fake_nvml.c')
}

AfterAll {
    $script:worker.StandardInput.Close()
    $script:worker.WaitForExit(5000) | Out-Null
}

Describe 'Get-GpuAllocation' {
    It 'lists allocations from NVML with users and marks pids of other namespaces' {
        $a = Get-GpuAllocation -Source Nvml -NvmlLibrary $script:lib
        $a | Should -HaveCount 2
        ($a | Where-Object ProcessId -EQ $script:worker.Id).User | Should -Be 'root'
        ($a | Where-Object ProcessId -EQ 4100000).VisibleHere | Should -BeFalse
    }

    It 'composes with Get-ShmSegment through ProcessId' {
        $segments = Get-ShmSegment -ProcessId (Get-GpuAllocation -Source Nvml -NvmlLibrary $script:lib).ProcessId
        $segments.Name | Should -Contain ($segments | Where-Object { $_.Attachments.Pid -contains $script:worker.Id } | Select-Object -First 1).Name
        $segments.Count | Should -BeGreaterThan 0
    }

    It 'filters like any object stream' {
        Get-GpuAllocation -Source Nvml -NvmlLibrary $script:lib | Where-Object UsedBytes -GT 1GB | Should -HaveCount 1
    }

    It 'lists devices with -ListDevice' {
        (Get-GpuAllocation -Source Nvml -NvmlLibrary $script:lib -ListDevice).Name | Should -Contain 'NVIDIA H100 80GB HBM3'
    }

    It 'reports a missing library as a non-terminating error' {
        Get-GpuAllocation -Source Nvml -NvmlLibrary /nonexistent/libnvidia-ml.so.1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'GpuUnavailable,ShmTools.Commands.GetGpuAllocationCommand'
        $err[0].Exception.Message | Should -Match 'nonexistent'
    }
}
