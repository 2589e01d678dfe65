using ShmTools.Core.Formats;

namespace ShmTools.Core.Profiles;

/// <summary>
/// The profiles one request can use: the built-in ones, then those of the profile directory and
/// of any extra files or directories, each file read at most once (and not at all when every
/// profile the request names is a file). Later files win by name. A broken file in the profile
/// directory, which the request did not name, is skipped with a warning, so one bad file there
/// does not stop every plan; a broken file the user named is an error.
/// </summary>
public sealed class ProfileSet
{
    private readonly Lazy<IReadOnlyList<DeviceProfile>> _all;
    private readonly List<string> _warnings = [];

    internal ProfileSet(IReadOnlyList<DeviceProfile> builtIn, string directory, IReadOnlyList<string> extraPaths) =>
        _all = new Lazy<IReadOnlyList<DeviceProfile>>(() => Merge(builtIn, directory, extraPaths, _warnings));

    /// <summary>Every profile, user ones after the built-in ones they may replace.</summary>
    public IReadOnlyList<DeviceProfile> All => _all.Value;

    /// <summary>Files of the profile directory that were skipped, each with why (read once <see cref="All"/> was).</summary>
    public IReadOnlyList<string> Warnings => _all.IsValueCreated ? _warnings : [];

    /// <summary>Profiles whose names match any of the wildcards (all when none are given).</summary>
    public IReadOnlyList<DeviceProfile> Find(IReadOnlyList<string> names)
    {
        var patterns = names.Select(n => new Text.GlobPattern(n)).ToList();
        return All.Where(p => patterns.Count == 0 || patterns.Any(g => g.IsMatch(p.Name))).ToList();
    }

    /// <summary>
    /// The devices a plan asks for, in order: each argument is a profile file when it names an
    /// existing path (through <paramref name="resolvePath"/>, e.g. PowerShell's provider paths) or
    /// looks like one (a directory separator or a .yaml/.yml ending), else a profile name. No
    /// argument means the built-in "cpu".
    /// </summary>
    public IReadOnlyList<DeviceProfile> Resolve(IReadOnlyList<string> namesOrFiles, Func<string, string>? resolvePath = null)
    {
        var devices = new List<DeviceProfile>();
        foreach (var arg in namesOrFiles.Count == 0 ? ["cpu"] : namesOrFiles)
        {
            if (AsFile(arg, resolvePath) is { } path) devices.AddRange(FileFormats.Profiles.ReadFile(path));
            else devices.Add(All.FirstOrDefault(p => string.Equals(p.Name, arg, StringComparison.OrdinalIgnoreCase))
                ?? throw new ProfileFormatException($"No device profile '{arg}' (and no such file). Known: {string.Join(", ", All.Select(p => p.Name))}."));
        }
        return devices;
    }

    private static string? AsFile(string arg, Func<string, string>? resolvePath)
    {
        string path = arg;
        if (resolvePath != null)
        {
            try
            {
                path = resolvePath(arg);
            }
            catch (Exception)
            {
                return null; // the front end cannot make a path of it: a name
            }
        }
        bool looksLikeFile = arg.Contains('/') || arg.Contains(Path.DirectorySeparatorChar)
            || arg.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || arg.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        return looksLikeFile || File.Exists(path) ? path : null;
    }

    private static IReadOnlyList<DeviceProfile> Merge(IReadOnlyList<DeviceProfile> builtIn, string directory, IReadOnlyList<string> extraPaths, List<string> warnings)
    {
        var byName = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in builtIn) byName[p.Name] = p;
        IEnumerable<string> own;
        try
        {
            own = YamlFilesIn(directory);
        }
        catch (ProfileFormatException ex)
        {
            warnings.Add(ex.Message + " (skipped: built-in profiles and those named are used)");
            own = [];
        }
        foreach (var f in own)
        {
            IReadOnlyList<DeviceProfile> read;
            try
            {
                read = FileFormats.Profiles.ReadFile(f);
            }
            catch (ProfileFormatException ex)
            {
                warnings.Add($"{ex.Message} (skipped: a file of the profile directory {directory})");
                continue;
            }
            foreach (var p in read) byName[p.Name] = p;
        }
        foreach (var path in extraPaths)
            foreach (var f in Directory.Exists(path) ? YamlFilesIn(path) : [path])
                foreach (var p in FileFormats.Profiles.ReadFile(f)) byName[p.Name] = p;
        return byName.Values.ToList();
    }

    private static IEnumerable<string> YamlFilesIn(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProfileFormatException($"{directory}: the profile directory cannot be listed: {ex.Message}", ex);
        }
    }
}
