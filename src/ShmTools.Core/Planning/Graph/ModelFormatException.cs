namespace ShmTools.Core.Planning.Graph;

/// <summary>A model file that cannot be read: the message names the file and the item.</summary>
public sealed class ModelFormatException(string message, Exception? inner = null) : Exception(message, inner);
