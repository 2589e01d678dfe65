namespace ShmTools.Cli;

/// <summary>Bad arguments: exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
