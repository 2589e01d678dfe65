namespace ShmTools.Core.Inputs;

/// <summary>A named input file that cannot be read as one: missing, unreadable, not a regular file, or too large. The message starts with the path.</summary>
public sealed class InputFileException(string message, Exception? inner = null) : IOException(message, inner);
