namespace ShmTools.Core.Cleanup;

/// <summary>Cleanup options that break a rule; <see cref="ErrorId"/> names the rule.</summary>
public sealed class CleanupOptionsException(string errorId, string message) : ArgumentException(message)
{
    public string ErrorId { get; } = errorId;
}
