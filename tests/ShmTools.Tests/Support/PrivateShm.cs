using System.Diagnostics;

namespace ShmTools.Tests.Support;

/// <summary>
/// Runs a command in its own mount namespace with a fresh tmpfs of a known size on /dev/shm, after
/// a setup script that makes the segments a test knows the truth about. Helpers the script starts
/// in the background read a FIFO that the command keeps open (fd 3), so they exit with it.
/// The pid namespace is the test's own: pids the script reports are pids the test can see. The
/// IPC namespace is a fresh one: a cleanup in it never sees (and removes) the System V segments
/// other tests are making at the same time.
/// </summary>
public sealed class PrivateShm : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly Task<string> _stdout;
    private readonly System.Text.StringBuilder _stderr = new();

    private PrivateShm(Process process, string dir)
    {
        _process = process;
        _dir = dir;
        _stdout = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Setup scripts may use $HOLDER (helpers/holder.py), $WORK (a private directory), and the functions hold and ready.</summary>
    public static PrivateShm Start(string tmpfsSize, string setup, params string[] command) => Start(tmpfsSize, setup, new Dictionary<string, string>(), command);

    /// <summary>As above, with extra environment variables for the setup script and the command.</summary>
    public static PrivateShm Start(string tmpfsSize, string setup, IReadOnlyDictionary<string, string> environment, params string[] command)
    {
        string dir = Directory.CreateTempSubdirectory("shmtools-private-").FullName;
        string script = """
            set -e
            mount -t tmpfs -o size="$SHM_SIZE",mode=1777 shmtools-private /dev/shm
            mkfifo "$WORK/fifo"
            FIFO="$WORK/fifo"
            # Opened read-write, so this never blocks; the command inherits it and holds it open.
            exec 3<>"$FIFO"
            # hold CMD...: runs CMD in the background with the FIFO as stdin (and without fd 3), so it
            # sees end-of-file when the command exits. ready FILE: waits until FILE has content.
            hold() { "$@" < "$FIFO" 3>&- & }
            ready() { for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "not ready: $1" >&2; exit 4; }
            eval "$SETUP"
            exec "$@"
            """;
        var psi = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-m", "-i", "--propagation", "private", "bash", "-c", script, "private-shm" }.Concat(command)) psi.ArgumentList.Add(a);
        psi.Environment["SHM_SIZE"] = tmpfsSize;
        psi.Environment["SETUP"] = setup;
        psi.Environment["WORK"] = dir;
        psi.Environment["HOLDER"] = HeldSegment.HelperPath;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return new PrivateShm(Process.Start(psi)!, dir);
    }

    /// <summary>Waits for the command to finish; returns its exit code, stdout and stderr.</summary>
    public ShmToolsCli.Run Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) { Kill(); throw new TimeoutException("private-shm command did not finish: " + Stderr); }
        _process.WaitForExit();
        return new ShmToolsCli.Run(_process.ExitCode, _stdout.Result, Stderr);
    }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>Lines the setup script wrote to stderr as KEY=VALUE, e.g. the pid of a helper it started.</summary>
    public string? Reported(string key) =>
        Stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];

    private void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first: the command (e.g. shmtools serve) stops cleanly; helpers see the FIFO close.
            try { Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit(5000); } catch (System.ComponentModel.Win32Exception) { }
            if (!_process.WaitForExit(10_000)) Kill();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A pid that existed and is gone now (reaped), for segments whose owner is dead.</summary>
    public static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
