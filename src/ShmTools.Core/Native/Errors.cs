namespace ShmTools.Core.Native;

/// <summary>Readable text for an errno.</summary>
public static class Errors
{
    public static string Describe(int errno) => errno switch
    {
        1 => "operation not permitted (EPERM)",
        2 => "no such file (ENOENT)",
        3 => "no such process (ESRCH)",
        6 => "no such device or address (ENXIO)",
        13 => "permission denied (EACCES)",
        20 => "not a directory (ENOTDIR)",
        21 => "is a directory (EISDIR)",
        19 => "no such device (ENODEV)",
        36 => "file name too long (ENAMETOOLONG)",
        28 => "no space left on device (ENOSPC)",
        40 => "too many levels of symbolic links (ELOOP)",
        _ => $"errno {errno}",
    };
}
