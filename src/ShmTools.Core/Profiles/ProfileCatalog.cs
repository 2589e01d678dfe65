using ShmTools.Core.Formats;

namespace ShmTools.Core.Profiles;

/// <summary>
/// The profiles a user can name: the built-in ones, then those in the profile directory
/// (SHMTOOLS_PROFILE_PATH, else ~/.config/shmtools/profiles), which may override a built-in.
/// </summary>
public static class ProfileCatalog
{
    private static readonly Lazy<IReadOnlyList<DeviceProfile>> BuiltInProfiles = new(LoadBuiltIn);

    /// <summary>The profiles shipped in the assembly (read on first use, through <see cref="FileFormats"/>).</summary>
    public static IReadOnlyList<DeviceProfile> BuiltIn => BuiltInProfiles.Value;

    public static string ProfileDirectory =>
        Environment.GetEnvironmentVariable("SHMTOOLS_PROFILE_PATH") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "shmtools", "profiles");

    /// <summary>Built-in and user profiles, user ones last (and winning by name).</summary>
    public static IReadOnlyList<DeviceProfile> All(IEnumerable<string>? extraPaths = null)
    {
        var byName = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in BuiltIn) byName[p.Name] = p;
        var files = new List<string>();
        if (Directory.Exists(ProfileDirectory))
            files.AddRange(Directory.EnumerateFiles(ProfileDirectory).Where(f => f.EndsWith(".yaml") || f.EndsWith(".yml")).Order());
        foreach (var path in extraPaths ?? [])
            files.AddRange(Directory.Exists(path) ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml") || f.EndsWith(".yml")).Order() : [path]);
        foreach (var f in files)
            foreach (var p in FileFormats.Profiles.ReadFile(f)) byName[p.Name] = p;
        return byName.Values.ToList();
    }

    /// <summary>Profiles whose names match any of the wildcards (all when none are given).</summary>
    public static IReadOnlyList<DeviceProfile> Find(IReadOnlyList<string> names, IEnumerable<string>? extraPaths = null)
    {
        var patterns = names.Select(n => new Text.GlobPattern(n)).ToList();
        return All(extraPaths).Where(p => patterns.Count == 0 || patterns.Any(g => g.IsMatch(p.Name))).ToList();
    }

    /// <summary>A profile by name, or every profile in a file when the argument is a path.</summary>
    public static IReadOnlyList<DeviceProfile> Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return FileFormats.Profiles.ReadFile(nameOrPath);
        var found = All().FirstOrDefault(p => string.Equals(p.Name, nameOrPath, StringComparison.OrdinalIgnoreCase));
        return found != null ? [found]
            : throw new ProfileFormatException($"No device profile '{nameOrPath}' (and no such file). Known: {string.Join(", ", All().Select(p => p.Name))}.");
    }

    private static IReadOnlyList<DeviceProfile> LoadBuiltIn()
    {
        using var stream = typeof(ProfileCatalog).Assembly.GetManifestResourceStream("ShmTools.Core.Profiles.builtin-profiles.yaml")
            ?? throw new InvalidOperationException("The built-in profiles are missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FileFormats.Profiles.Read(reader, "built-in").Select(p => p with { Source = "built-in" }).ToList();
    }
}
