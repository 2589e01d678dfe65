using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace ShmTools.Binding;

/// <summary>
/// Input shapes as PowerShell users type them. <c>-InputShape x=1,3,640,640</c> reaches the
/// cmdlet split at the commas ('x=1', 3, 640, 640): an item without '=' continues the shape
/// before it. A hashtable <c>@{x=1,3,640,640; y='1,8'}</c> gives one shape per key. The result is
/// the "NAME=D1,D2,..." strings Core parses (and reports errors in).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class InputShapeTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var shapes = new List<string>();
        foreach (var item in Items(inputData))
        {
            if (item is IDictionary table)
            {
                foreach (DictionaryEntry e in table)
                    shapes.Add(Text(e.Key) + "=" + string.Join(",", Items(e.Value).Select(Text)));
                continue;
            }
            var text = Text(item);
            if (text.Contains('='))
                shapes.Add(text);
            else if (shapes.Count > 0 && !shapes[^1].EndsWith('='))
                shapes[^1] += "," + text;
            else if (shapes.Count > 0)
                shapes[^1] += text;
            else
                throw new ArgumentTransformationMetadataException($"'{text}': an input shape is NAME=D1,D2,... (e.g. x=1,3,640,640), or a hashtable @{{x=1,3,640,640}}.");
        }
        return shapes.ToArray();
    }

    private static IEnumerable<object?> Items(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        if (value is string or IDictionary || value is not IEnumerable list)
        {
            yield return value;
            yield break;
        }
        foreach (var item in list) yield return item is PSObject p ? p.BaseObject : item;
    }

    private static string Text(object? value) => value switch
    {
        null => throw new ArgumentTransformationMetadataException("An input shape cannot be null."),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
