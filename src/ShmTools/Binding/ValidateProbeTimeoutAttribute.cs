using System.Management.Automation;
using ShmTools.Core.Liveness;

namespace ShmTools.Binding;

/// <summary>Refuses probe timeouts Core calls unusable (too short to hear an owner's answer).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateProbeTimeoutAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject pso ? pso.BaseObject : arguments;
        if (value is TimeSpan t && LivenessOptions.ProbeTimeoutProblem(t) is { } problem)
            throw new ValidationMetadataException(problem + ".");
    }
}
