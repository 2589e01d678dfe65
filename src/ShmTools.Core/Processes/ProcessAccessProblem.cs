namespace ShmTools.Core.Processes;

/// <summary>A /proc entry that exists but could not be read (so what it holds is unknown).</summary>
public sealed record ProcessAccessProblem(int Pid, string Entry, int Errno, string Message);
