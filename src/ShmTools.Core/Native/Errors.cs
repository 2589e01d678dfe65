namespace ShmTools.Core.Native;

/// <summary>Readable text for an errno.</summary>
public static class Errors
{
    public static string Describe(int errno) => errno switch
    {
        1 => "operation not permitted (EPERM)",
        2 => "no such file (ENOENT)",
        3 => "no such process (ESRCH)",
        5 => "input/output error (EIO)",
        6 => "no such device or address (ENXIO)",
        9 => "not an open descriptor (EBADF)",
        13 => "permission denied (EACCES)",
        20 => "not a directory (ENOTDIR)",
        21 => "is a directory (EISDIR)",
        19 => "no such device (ENODEV)",
        36 => "file name too long (ENAMETOOLONG)",
        27 => "file too large (EFBIG)",
        32 => "broken pipe (EPIPE)",
        122 => "disk quota exceeded (EDQUOT)",
        28 => "no space left on device (ENOSPC)",
        40 => "too many levels of symbolic links (ELOOP)",
        22 => "invalid argument (EINVAL)",
        24 => "too many open files (EMFILE)",
        30 => "read-only file system (EROFS)",
        16 => "device or resource busy (EBUSY)",
        11 => "resource temporarily unavailable (EAGAIN)",
        17 => "file exists (EEXIST)",
        4 => "interrupted (EINTR)",
        12 => "out of memory (ENOMEM)",
        95 => "not supported (EOPNOTSUPP)",
        _ => $"errno {errno}",
    };
}
