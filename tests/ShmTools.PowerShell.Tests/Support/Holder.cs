using System.Diagnostics;

namespace ShmTools.PowerShell.Tests.Support;

/// <summary>A real process (helpers/holder.py) holding shared memory until disposed (stdin closed).</summary>
public sealed class Holder : IDisposable
{
    private readonly Process _process;

    private Holder(Process p) => _process = p;

    public int Pid => _process.Id;

    public static string Script => Path.Combine(AppContext.BaseDirectory, "helpers", "holder.py");

    /// <summary>Maps /dev/shm/NAME of SIZE bytes (holder.py file /dev/shm NAME SIZE map).</summary>
    public static Holder Mapping(string name, long size) => Start("file", "/dev/shm", name, size.ToString(), "map");

    public static Holder Start(params string[] args)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)) || line.Result == null)
        {
            try { p.Kill(true); } catch (InvalidOperationException) { }
            throw new InvalidOperationException("holder did not get ready: " + p.StandardError.ReadToEnd());
        }
        return new Holder(p);
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000)) _process.Kill(true);
        _process.Dispose();
    }
}
