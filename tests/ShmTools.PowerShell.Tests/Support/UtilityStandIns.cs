namespace ShmTools.PowerShell.Tests.Support;

/// <summary>
/// The engine package holds only Microsoft.PowerShell.Core. The examples also use a few commands
/// from Microsoft.PowerShell.Utility and .Management that every pwsh has; these functions stand in
/// for them with the parameters the examples use, so the examples can be typed exactly as written.
/// </summary>
public static class UtilityStandIns
{
    public const string Script = """
        function Sort-Object {
            param([Parameter(Position = 0)][string] $Property, [switch] $Descending, [Parameter(ValueFromPipeline)] $InputObject)
            begin { $items = [System.Collections.Generic.List[object]]::new() }
            process { $items.Add($InputObject) }
            end {
                $keys = [object[]]@(foreach ($i in $items) { if ($Property) { $i.$Property } else { $i } })
                $array = $items.ToArray()
                [Array]::Sort($keys, $array)
                if ($Descending) { [Array]::Reverse($array) }
                $array
            }
        }
        function Select-Object {
            param([Parameter(Position = 0)][string[]] $Property, [string] $ExpandProperty, [int] $First = -1, [Parameter(ValueFromPipeline)] $InputObject)
            begin { $count = 0 }
            process {
                if ($First -ge 0 -and $count -ge $First) { return }
                $count++
                if ($ExpandProperty) { if ($null -eq $InputObject.psobject.Properties[$ExpandProperty]) { Write-Error "Property '$ExpandProperty' cannot be found." } else { $InputObject.$ExpandProperty } }
                elseif ($Property) { $o = [ordered]@{}; foreach ($p in $Property) { $o[$p] = $InputObject.$p }; [pscustomobject]$o }
                else { $InputObject }
            }
        }
        function Format-Table { param([Parameter(Position = 0)][string[]] $Property, [Parameter(ValueFromPipeline)] $InputObject) process { $InputObject } }
        function Format-List { param([Parameter(Position = 0)][string[]] $Property, [Parameter(ValueFromPipeline)] $InputObject) process { $InputObject } }
        function Get-Process {
            param([Parameter(Position = 0)][string[]] $Name)
            foreach ($p in [System.Diagnostics.Process]::GetProcesses()) {
                if (-not $Name) { $p } else { foreach ($n in $Name) { if ($p.ProcessName -like $n) { $p; break } } }
            }
        }
        """;
}
