#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents and packages the ShmTools module.
.DESCRIPTION
    Build    dotnet build: lays out out/ShmTools/ (manifest with the version from Directory.Build.props,
             format and type files, assemblies).
    Test     xunit (dotnet test), then Pester.
    Pester   the Pester 5 suite in tests/Pester, against the built module, in a fresh pwsh -NoProfile.
    Docs     docs/help/*.md -> out/ShmTools/en-US/ShmTools.dll-Help.xml and about_ShmTools.help.txt
             (tools/ShmTools.HelpBuilder, as Build does; checked by platyPS too where it is installed).
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
    # The build writes the help already (tools/ShmTools.HelpBuilder, run by src/ShmTools's build);
    # this runs the generator alone, e.g. after editing docs/help, without rebuilding the module.
    $assembly = Join-Path $root "src/ShmTools/bin/$Configuration/net8.0/ShmTools.dll"
    if (-not (Test-Path $assembly)) { Invoke-Build; return }
    dotnet run --project (Join-Path $root 'tools/ShmTools.HelpBuilder') -c $Configuration -- `
        --docs (Join-Path $root 'docs/help') --assembly $assembly --out (Join-Path $moduleOut 'en-US')
    if ($LASTEXITCODE) { throw "help generation failed ($LASTEXITCODE): see the file(line) messages above" }
    if (Get-Module -ListAvailable platyPS) {
        # A second opinion where platyPS exists: its own reader must accept every page too.
        Import-Module platyPS
        $check = Join-Path ([IO.Path]::GetTempPath()) "shmtools-platyps-$PID"
        try { New-ExternalHelp -Path (Join-Path $root 'docs/help') -OutputPath $check -Force | Out-Null }
        finally { Remove-Item -Recurse -Force $check -ErrorAction SilentlyContinue }
    }
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
            bash (Join-Path $root "tests/run")
            if ($LASTEXITCODE) { throw "xunit failed ($LASTEXITCODE)" }
            Invoke-Pester5
        }
        'Pester' { Invoke-Pester5 }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
    }
}
