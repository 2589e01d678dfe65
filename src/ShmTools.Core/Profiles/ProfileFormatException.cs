namespace ShmTools.Core.Profiles;

/// <summary>A profile file that cannot be used; the message is "file:line:column: what is wrong".</summary>
public sealed class ProfileFormatException(string message, Exception? inner = null) : Exception(message, inner);
