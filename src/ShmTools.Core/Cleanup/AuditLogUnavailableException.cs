namespace ShmTools.Core.Cleanup;

/// <summary>The audit log cannot be opened or written: nothing more is removed without it.</summary>
public sealed class AuditLogUnavailableException : IOException
{
    public AuditLogUnavailableException(string message) : base(message) { }
    public AuditLogUnavailableException(string message, Exception inner) : base(message, inner) { }
}
