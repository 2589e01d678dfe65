using ShmTools.Core.Formats;

namespace ShmTools.Core.Profiles;

/// <summary>
/// The profiles a user can name: the built-in ones, then those in the profile directory
/// (SHMTOOLS_PROFILE_PATH, else ~/.config/shmtools/profiles), which may override a built-in.
/// A request takes one <see cref="ProfileSet"/> with <see cref="Load"/> and asks it everything.
/// </summary>
public static class ProfileCatalog
{
    private static readonly Lazy<IReadOnlyList<DeviceProfile>> BuiltInProfiles = new(LoadBuiltIn);

    /// <summary>The profiles shipped in the assembly (read on first use, through <see cref="FileFormats"/>).</summary>
    public static IReadOnlyList<DeviceProfile> BuiltIn => BuiltInProfiles.Value;

    public static string ProfileDirectory =>
        Environment.GetEnvironmentVariable("SHMTOOLS_PROFILE_PATH") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "shmtools", "profiles");

    /// <summary>The profiles of one request: built-in, the profile directory, then <paramref name="extraPaths"/> (files or directories).</summary>
    public static ProfileSet Load(IEnumerable<string>? extraPaths = null) => new(BuiltIn, ProfileDirectory, (extraPaths ?? []).ToList());

    /// <summary>Built-in and user profiles, user ones last (and winning by name).</summary>
    public static IReadOnlyList<DeviceProfile> All(IEnumerable<string>? extraPaths = null) => Load(extraPaths).All;

    /// <summary>
    /// For looking names up where a broken user profile must not stop the work (naming GPUs,
    /// completing arguments): every profile, or the built-in ones with <paramref name="problem"/> saying why.
    /// </summary>
    public static IReadOnlyList<DeviceProfile> AllOrBuiltIn(out string? problem)
    {
        try
        {
            var set = Load();
            var all = set.All;
            problem = set.Warnings.Count == 0 ? null : string.Join(" ", set.Warnings);
            return all;
        }
        catch (ProfileFormatException ex)
        {
            problem = ex.Message + " (built-in profiles used instead)";
            return BuiltIn;
        }
    }

    /// <summary>Profiles whose names match any of the wildcards (all when none are given).</summary>
    public static IReadOnlyList<DeviceProfile> Find(IReadOnlyList<string> names, IEnumerable<string>? extraPaths = null) => Load(extraPaths).Find(names);

    /// <summary>A profile by name, or every profile in a file when the argument is a path.</summary>
    public static IReadOnlyList<DeviceProfile> Resolve(string nameOrPath) => Load().Resolve([nameOrPath]);

    private static IReadOnlyList<DeviceProfile> LoadBuiltIn()
    {
        using var stream = typeof(ProfileCatalog).Assembly.GetManifestResourceStream("ShmTools.Core.Profiles.builtin-profiles.yaml")
            ?? throw new InvalidOperationException("The built-in profiles are missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FileFormats.Profiles.Read(reader, "built-in").Select(p => p with { Source = "built-in" }).ToList();
    }
}
