using System.Collections.Concurrent;
using System.Diagnostics;

namespace ShmTools.Tests.Support;

/// <summary>Builds the tests' C stand-ins (helpers/native/*.c) with gcc, once per set of flags.</summary>
public static class NativeBuild
{
    private static readonly ConcurrentDictionary<string, string> Built = new();
    private static readonly string Dir = Directory.CreateTempSubdirectory("shmtools-native-").FullName;

    public static string Library(string source, params string[] defines) => Build(source, shared: true, defines);

    public static string Program(string source, params string[] defines) => Build(source, shared: false, defines);

    private static string Build(string source, bool shared, string[] defines)
    {
        string key = source + "|" + shared + "|" + string.Join(' ', defines);
        return Built.GetOrAdd(key, _ =>
        {
            string output = Path.Combine(Dir, Path.GetFileNameWithoutExtension(source) + "-" + Math.Abs(key.GetHashCode()) + (shared ? ".so" : ""));
            var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (shared ? new[] { "-shared", "-fPIC" } : []).Concat(["-O1", "-Wall", "-o", output]).Concat(defines.Select(d => "-D" + d))
                .Append(Path.Combine(AppContext.BaseDirectory, "helpers", "native", source)))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"gcc {source} failed: {err}");
            return output;
        });
    }

    public static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {err}");
    }
}
