#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents and packages the ShmTools module.
.DESCRIPTION
    Build    dotnet build: lays out out/ShmTools/ (manifest with the version from Directory.Build.props,
             format and type files, assemblies).
    Test     xunit (dotnet test), then Pester.
    Pester   the Pester 5 suite in tests/Pester, against the built module, in a fresh pwsh -NoProfile.
    Docs     platyPS: docs/help/*.md -> out/ShmTools/en-US/ShmTools.dll-Help.xml (when platyPS is installed).
    Package  a .nupkg of out/ShmTools for a PowerShell repository (Publish-PSResource / Save-PSResource).
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Docs', 'Package')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleOut = Join-Path $root 'out/ShmTools'

function Invoke-Build {
    dotnet build (Join-Path $root 'ShmTools.slnx') -c $Configuration
    if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
}

function Invoke-Pester5 {
    if (-not (Test-Path (Join-Path $moduleOut 'ShmTools.psd1'))) { Invoke-Build }
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/Pester')'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
`$env:SHMTOOLS_MODULE = '$(Join-Path $moduleOut 'ShmTools.psd1')'
Invoke-Pester -Configuration `$config
"@
    pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE) { throw "Pester failed ($LASTEXITCODE)" }
}

function Invoke-Docs {
    if (-not (Get-Module -ListAvailable platyPS)) {
        Write-Warning 'platyPS is not installed: help stays as markdown in docs/help (Install-Module platyPS -RequiredVersion 0.14.2).'
        return
    }
    Import-Module platyPS
    New-ExternalHelp -Path (Join-Path $root 'docs/help') -OutputPath (Join-Path $moduleOut 'en-US') -Force | Out-Null
}

function Invoke-Package {
    if (-not (Test-Path (Join-Path $moduleOut 'ShmTools.psd1'))) { Invoke-Build }
    $repo = Join-Path $root 'out/repository'
    New-Item -ItemType Directory -Force $repo | Out-Null
    if (-not (Get-PSResourceRepository -Name ShmToolsLocal -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name ShmToolsLocal -Uri $repo -Trusted
    }
    Publish-PSResource -Path $moduleOut -Repository ShmToolsLocal
    Get-ChildItem $repo -Filter *.nupkg | ForEach-Object { "Packaged $($_.FullName)" }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' {
            dotnet test (Join-Path $root 'ShmTools.slnx') -c $Configuration
            if ($LASTEXITCODE) { throw "xunit failed ($LASTEXITCODE)" }
            Invoke-Pester5
        }
        'Pester' { Invoke-Pester5 }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
    }
}
