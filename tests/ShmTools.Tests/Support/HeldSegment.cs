using System.Diagnostics;
using System.Text.Json;

namespace ShmTools.Tests.Support;

/// <summary>
/// A real process (helpers/holder.py) holding shared memory. Disposing closes its stdin and
/// waits, so it cleans up what it made; a process that does not go is killed.
/// </summary>
public sealed class HeldSegment : IDisposable
{
    private readonly Process _process;

    private HeldSegment(Process process, JsonElement info)
    {
        _process = process;
        Info = info;
    }

    public JsonElement Info { get; }
    public int Pid => _process.Id;
    public string? Path => Info.TryGetProperty("path", out var p) ? p.GetString() : null;
    public string? Name => Info.TryGetProperty("name", out var n) ? n.GetString() : System.IO.Path.GetFileName(Path);

    /// <summary>A thread that unshared its descriptor table (unshare(CLONE_FILES)), then opened the file.</summary>
    public const string ThreadTableHolder =
        "import ctypes,json,os,sys,threading,time\n" +
        "libc=ctypes.CDLL(None,use_errno=True)\n" +
        "def run():\n" +
        "    assert libc.unshare(0x400)==0\n" +
        "    fd=os.open(sys.argv[1],os.O_RDONLY)\n" +
        "    if sys.argv[2]=='unlink': os.unlink(sys.argv[1])\n" +
        "    print(json.dumps({'pid':os.getpid(),'tid':threading.get_native_id(),'inode':os.fstat(fd).st_ino}),flush=True)\n" +
        "    time.sleep(3600)\n" +
        "threading.Thread(target=run,daemon=True).start()\n" +
        "sys.stdin.read()\n";

    public static string HelperPath => System.IO.Path.Combine(AppContext.BaseDirectory, "helpers", "holder.py");

    public static HeldSegment Start(params string[] args) => StartWith("python3", [HelperPath, .. args]);

    public static string ParticipantPath => System.IO.Path.Combine(AppContext.BaseDirectory, "helpers", "lease_participant.py");

    /// <summary>A lease-protocol participant written in Python from docs/lease-protocol.md.</summary>
    public static HeldSegment Participant(params string[] args) => StartWith("python3", [ParticipantPath, .. args]);

    /// <summary>Closes stdin and returns the participant's last line (e.g. how many probes it answered).</summary>
    public JsonElement Finish()
    {
        _process.StandardInput.Close();
        var line = _process.StandardOutput.ReadLine();
        _process.WaitForExit(5000);
        if (line == null) throw new InvalidOperationException("the helper ended without a last word: " + _process.StandardError.ReadToEnd());
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Runs the holder under a wrapper (e.g. unshare), which must exec python3 in the end.</summary>
    public static HeldSegment StartWith(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + program);
        var lineTask = p.StandardOutput.ReadLineAsync();
        if (!lineTask.Wait(TimeSpan.FromSeconds(20)) || lineTask.Result == null)
        {
            try { p.Kill(true); } catch { }
            throw new InvalidOperationException($"holder {string.Join(' ', args)} did not get ready: {p.StandardError.ReadToEnd()}");
        }
        return new HeldSegment(p, JsonDocument.Parse(lineTask.Result).RootElement.Clone());
    }

    public int InfoInt(string name) => Info.GetProperty(name).GetInt32();
    public long InfoLong(string name) => Info.GetProperty(name).GetInt64();

    /// <summary>SIGKILL: the holder dies without cleaning up, as a crashed job does.</summary>
    public void Kill()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000)) _process.Kill(true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
