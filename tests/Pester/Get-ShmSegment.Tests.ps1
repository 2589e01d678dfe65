#requires -Version 7.4
# Pester 5: runs against the built module (build.ps1 sets SHMTOOLS_MODULE) in a fresh pwsh.

BeforeAll {
    $manifest = $env:SHMTOOLS_MODULE
    if (-not $manifest) { $manifest = Join-Path $PSScriptRoot '../../out/ShmTools/ShmTools.psd1' }
    Import-Module $manifest -Force
    $helper = Join-Path $PSScriptRoot '../ShmTools.Tests/helpers/holder.py'

    function Start-Holder {
        param([string[]] $Arguments)
        $psi = [System.Diagnostics.ProcessStartInfo]::new('python3')
        $psi.ArgumentList.Add($helper)
        foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $info = $p.StandardOutput.ReadLine() | ConvertFrom-Json
        [pscustomobject]@{ Process = $p; Info = $info }
    }

    function Stop-Holder($holder) {
        $holder.Process.StandardInput.Close()
        $holder.Process.WaitForExit(5000) | Out-Null
    }
}

Describe 'Get-ShmSegment' {
    BeforeAll {
        $name = 'shmtools-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $held = Start-Holder @('file', '/dev/shm', $name, '65536', 'map')
    }
    AfterAll { Stop-Holder $held }

    It 'is exported by the module' {
        (Get-Command Get-ShmSegment).ModuleName | Should -Be 'ShmTools'
    }

    It 'finds a segment held by a live process, by name, with the holder' {
        $s = Get-ShmSegment -Name $name
        $s | Should -HaveCount 1
        $s.Kind | Should -Be 'Posix'
        $s.SizeBytes | Should -Be 65536
        $s.Attachments.Pid | Should -Contain $held.Process.Id
    }

    It 'takes wildcards and is case-sensitive' {
        Get-ShmSegment -Name 'shmtools-pester-*' | Where-Object Name -EQ $name | Should -HaveCount 1
        Get-ShmSegment -Name $name.ToUpperInvariant() | Should -BeNullOrEmpty
    }

    It 'filters by process id, also from the pipeline by property name' {
        (Get-ShmSegment -ProcessId $held.Process.Id).Name | Should -Contain $name
        ([pscustomobject]@{ ProcessId = $held.Process.Id } | Get-ShmSegment).Name | Should -Contain $name
    }

    It 'filters by kind and minimum size' {
        Get-ShmSegment -Name $name -Kind SysV | Should -BeNullOrEmpty
        Get-ShmSegment -Name $name -MinimumSize 1MB | Should -BeNullOrEmpty
        Get-ShmSegment -Name $name -MinimumSize 64KB | Should -HaveCount 1
    }

    It 'rejects a kind that does not exist' {
        { Get-ShmSegment -Kind Bogus } | Should -Throw '*Bogus*'
    }

    It 'formats as a table without error' {
        { Get-ShmSegment -Name $name | Format-Table | Out-String } | Should -Not -Throw
    }
}
