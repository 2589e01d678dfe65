using ShmTools.Core.Shm;

namespace ShmTools.Core.Processes;

/// <summary>
/// One process's hold on one file or SysV segment, as found in a single /proc pass.
/// <see cref="StatPath"/> is a /proc path through which the held object can still be stat'ed
/// (an fd link or a map_files entry), which is the only way to size an unlinked file.
/// </summary>
public sealed record Holding(int Pid, AttachmentKind Via, string Path, long MappedBytes, long Extent, string? StatPath);
