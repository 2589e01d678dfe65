namespace ShmTools.Core.Planning.Plan;

/// <summary>A plan chart that cannot be written where it was asked for; the message starts with the path.</summary>
public sealed class ChartWriteException(string message, Exception? inner = null) : IOException(message, inner);
