using System.Diagnostics;

namespace ShmTools.Tests.Support;

/// <summary>Runs the built <c>shmtools</c> as its own process, optionally as another user.</summary>
public static class ShmToolsCli
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "shmtools.dll");

    public static Run Invoke(params string[] args) => InvokeAs(null, args);

    /// <summary>With extra environment variables.</summary>
    public static Run InvokeWith(IReadOnlyDictionary<string, string> environment, params string[] args) => InvokeAs(null, args, environment);

    /// <summary>With <paramref name="user"/>, runs under setpriv with that user's uid and gid and no groups.</summary>
    public static Run InvokeAs(string? user, params string[] args) => InvokeAs(user, args, null);

    private static Run InvokeAs(string? user, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(user == null ? "dotnet" : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user != null)
            foreach (var a in new[] { "--reuid=" + user, "--regid=" + user, "--clear-groups", "dotnet" }) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("shmtools " + string.Join(' ', args)); }
        return new Run(p.ExitCode, stdout.Result, stderr.Result);
    }
}
