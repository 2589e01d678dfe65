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

    /// <summary>
    /// Under a wrapper command that ends by running what follows it (e.g. <c>unshare -p -f
    /// --mount-proc</c>, <c>setpriv ...</c>, or <c>sh -c 'mount ...; exec "$@"' sh</c>).
    /// </summary>
    public static Run InvokeUnder(string[] wrapper, params string[] args) => Start(wrapper, args, null);

    /// <summary>As another user, with extra environment variables.</summary>
    public static Run InvokeAs(string? user, string[] args, IReadOnlyDictionary<string, string>? environment) =>
        Start(user == null ? [] : ["setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups"], args, environment);

    private static Run Start(string[] wrapper, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(wrapper.Length == 0 ? "dotnet" : wrapper[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in wrapper.Skip(1)) psi.ArgumentList.Add(a);
        if (wrapper.Length > 0) psi.ArgumentList.Add("dotnet");
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
