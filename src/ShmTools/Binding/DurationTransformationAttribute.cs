using System.Management.Automation;
using ShmTools.Core.Text;

namespace ShmTools.Binding;

/// <summary>
/// Lets a TimeSpan parameter take a duration as on the command line ('500ms', '30m', '1h',
/// '01:30:00') through Core's one parser, or a TimeSpan. Typed unquoted, two of those words are
/// PowerShell number literals: 2s is the [short] 2 and 7d the [decimal] 7, so a short counts as
/// seconds and a decimal as days, which is what the user typed. Any other bare number is
/// refused: PowerShell would read 2 as 2 ticks, which is never what was meant.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        switch (value)
        {
            case null:
                throw new ArgumentTransformationMetadataException($"A duration is required (e.g. {Duration.Examples}).");
            case TimeSpan t when t < TimeSpan.Zero:
                throw new ArgumentTransformationMetadataException($"{t}: a duration cannot be negative.");
            case TimeSpan t:
                return t;
            case string s:
                try
                {
                    return Duration.Parse(s);
                }
                catch (FormatException ex)
                {
                    throw new ArgumentTransformationMetadataException(ex.Message, ex);
                }
            case short seconds:
                return Checked(seconds, "s");
            case decimal days:
                return Checked(days, "d");
            case byte or sbyte or ushort or int or uint or long or ulong or float or double:
                throw new ArgumentTransformationMetadataException(
                    $"{value}: a number without a unit is ambiguous (PowerShell reads it as ticks); give a unit, e.g. '{value}s' or '{value}ms', or a TimeSpan.");
            default:
                throw new ArgumentTransformationMetadataException($"{value}: not a duration (e.g. {Duration.Examples}, or a TimeSpan).");
        }
    }

    private static TimeSpan Checked(IFormattable number, string unit)
    {
        try
        {
            return Duration.Parse(number.ToString(null, System.Globalization.CultureInfo.InvariantCulture) + unit);
        }
        catch (FormatException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}
