namespace ShmTools.Core.Liveness;

/// <summary>Where a piece of evidence came from, strongest first.</summary>
public enum EvidenceKind
{
    Attachment,
    LockLease,
    /// <summary>The kernel's answer to an exclusive lease: whether any process anywhere has the file open or mapped.</summary>
    KernelLease,
    Handshake,
    Owner,
    Age,
    Visibility,
}
