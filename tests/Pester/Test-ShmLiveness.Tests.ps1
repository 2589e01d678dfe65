#requires -Version 7.4
# Pester 5, against the built module in a fresh pwsh (see build.ps1).

BeforeAll {
    $manifest = $env:SHMTOOLS_MODULE
    if (-not $manifest) { $manifest = Join-Path $PSScriptRoot '../../out/ShmTools/ShmTools.psd1' }
    Import-Module $manifest -Force
    $helper = Join-Path $PSScriptRoot '../ShmTools.Tests/helpers/holder.py'
    # Processes this host cannot read even as root (e.g. a sandbox's init) hold none of our segments.
    $script:invisible = @(Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$' | Where-Object {
            try { $null = [IO.File]::ReadAllText("/proc/$($_.Name)/maps"); $false }
            catch [UnauthorizedAccessException] { $true }
            catch { $false }
        } | ForEach-Object { [int]$_.Name })

    function New-DeadSegment {
        $p = Start-Process python3 -ArgumentList $helper, 'idle' -PassThru -RedirectStandardInput /dev/null -RedirectStandardOutput /dev/null
        $p.WaitForExit()
        $name = "torch_$($p.Id)_$(Get-Random -Minimum 100000 -Maximum 999999)_0"
        [IO.File]::WriteAllBytes("/dev/shm/$name", [byte[]]::new(8192))
        $name
    }
}

Describe 'Test-ShmLiveness' {
    It 'judges a dead owner''s segment Stale, with evidence' {
        $name = New-DeadSegment
        try {
            $r = Test-ShmLiveness -Name $name -IgnoreInvisibleProcess $script:invisible
            $r.Verdict | Should -Be 'Stale'
            $r.Evidence.Kind | Should -Contain 'Owner'
            $r.Reason | Should -Match 'dead'
        } finally { Remove-Item "/dev/shm/$name" -ErrorAction SilentlyContinue }
    }

    It 'takes segments from Get-ShmSegment on the pipeline' {
        $name = New-DeadSegment
        try {
            (Get-ShmSegment -Name $name | Test-ShmLiveness -IgnoreInvisibleProcess $script:invisible).Verdict | Should -Be 'Stale'
        } finally { Remove-Item "/dev/shm/$name" -ErrorAction SilentlyContinue }
    }
}

Describe 'Clear-StaleShm' {
    It '-WhatIf names every target and removes nothing' {
        $names = 1..3 | ForEach-Object { New-DeadSegment }
        try {
            $out = Get-ShmSegment -Name $names | Clear-StaleShm -WhatIf -IgnoreInvisibleProcess $script:invisible 6>&1 *>&1 | Out-String
            foreach ($n in $names) {
                $out | Should -Match ([regex]::Escape($n))
                "/dev/shm/$n" | Should -Exist
            }
        } finally { $names | ForEach-Object { Remove-Item "/dev/shm/$_" -ErrorAction SilentlyContinue } }
    }

    It '-Force removes stale segments without a prompt and returns records' {
        $name = New-DeadSegment
        $r = Clear-StaleShm -Name $name -Force -IgnoreInvisibleProcess $script:invisible
        $r.Action | Should -Be 'Removed'
        $r.BytesFreed | Should -Be 8192
        "/dev/shm/$name" | Should -Not -Exist
    }

    It '-Force never overrides -WhatIf' {
        $name = New-DeadSegment
        try {
            Clear-StaleShm -Name $name -Force -WhatIf -IgnoreInvisibleProcess $script:invisible
            "/dev/shm/$name" | Should -Exist
        } finally { Remove-Item "/dev/shm/$name" -ErrorAction SilentlyContinue }
    }

    It 'keeps a live segment' {
        $name = 'shmtools-pester-live-' + (Get-Random)
        $psi = [System.Diagnostics.ProcessStartInfo]::new('python3')
        foreach ($a in @($helper, 'file', '/dev/shm', $name, '4096', 'map')) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true; $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi); $null = $p.StandardOutput.ReadLine()
        try {
            $r = Clear-StaleShm -Name $name -Force
            $r.Action | Should -Be 'Kept'
            $r.Verdict | Should -Be 'Live'
            "/dev/shm/$name" | Should -Exist
        } finally { $p.StandardInput.Close(); $p.WaitForExit(5000) | Out-Null }
    }

    It 'refuses -IncludeOrphaned without -OlderThan' {
        { Clear-StaleShm -Name nothing -IncludeOrphaned -Force } | Should -Throw -ErrorId 'OrphanedNeedsOlderThan,ShmTools.Commands.ClearStaleShmCommand'
    }
}
