namespace ShmTools.Core.Liveness;

/// <summary>Where a piece of evidence came from, strongest first.</summary>
public enum EvidenceKind
{
    Attachment,
    LockLease,
    Handshake,
    Owner,
    Age,
    Visibility,
}
