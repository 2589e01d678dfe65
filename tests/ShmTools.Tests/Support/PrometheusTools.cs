namespace ShmTools.Tests.Support;

/// <summary>Where the Prometheus server and promtool are (tests/run installs the Debian package when missing).</summary>
public static class PrometheusTools
{
    public static string? Promtool { get; } = Find("promtool");
    public static string? Server { get; } = Find("prometheus");

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs promtool; skips, saying why, only where it is not installed.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (PrometheusTools.Promtool == null) Skip = "promtool not found on PATH (tests/run installs the 'prometheus' package as root where apt-get exists)";
    }
}

/// <summary>A fact that needs the Prometheus server, promtool, root and unshare (a private tmpfs on /dev/shm).</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusTools.Server == null || PrometheusTools.Promtool == null)
            Skip = "prometheus or promtool not found on PATH (tests/run installs the 'prometheus' package as root where apt-get exists)";
        else if (new RootFactAttribute().Skip is { } why) Skip = why;
        else if (PrometheusTools.Find("unshare") == null) Skip = "unshare (util-linux) not found";
    }
}
