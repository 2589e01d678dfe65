namespace ShmTools.Core.Liveness;

/// <summary>One finding about a segment, in words a person can check.</summary>
public sealed record Evidence(EvidenceKind Kind, string Finding)
{
    public override string ToString() => $"{Kind}: {Finding}";
}
