using System.Diagnostics;

namespace ShmTools.Tests.Support;

/// <summary>Asks from another process whether a directory's flock (the turn of checks and cleanups) is free.</summary>
public static class DirectoryLockProbe
{
    /// <summary>"free" when another process can take the directory's exclusive flock at once, else "taken".</summary>
    public static string State(string directory)
    {
        var psi = new ProcessStartInfo("python3", ["-c",
            "import fcntl,os,sys\n" +
            "fd=os.open(sys.argv[1],os.O_RDONLY|os.O_DIRECTORY)\n" +
            "try:\n    fcntl.flock(fd,fcntl.LOCK_EX|fcntl.LOCK_NB); print('free')\n" +
            "except BlockingIOError:\n    print('taken')\n", directory]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string answer = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return answer;
    }
}
