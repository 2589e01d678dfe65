using System.Management.Automation;
using ShmTools.Core.Text;

namespace ShmTools.Binding;

/// <summary>
/// Lets an enum parameter take the words the command line and the JSON use (greedy-by-size,
/// nvidia-smi) as well as the value's name, through Core's one enum-word mapping. Values of the
/// enum itself pass unchanged; anything else is left to PowerShell's own binding and its error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class EnumWordTransformationAttribute(Type enumType) : ArgumentTransformationAttribute
{
    public Type EnumType { get; } = enumType;

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is string text)
            return EnumWords.TryParse(EnumType, text, out var parsed) ? parsed
                : throw new ArgumentTransformationMetadataException($"'{text}': not one of {EnumWords.List(EnumType)}.");
        return inputData;
    }
}
