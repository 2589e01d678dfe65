namespace ShmTools.Core.Profiles;

/// <summary>
/// Finds the device profile a driver's device name describes ("NVIDIA H100 80GB HBM3" is
/// h100-80gb): every word of the profile's name must occur in the device name (case and
/// punctuation ignored); the profile matching the most words wins.
/// </summary>
public static class ProfileMatcher
{
    public static DeviceProfile? Match(string? deviceName, IEnumerable<DeviceProfile> profiles)
    {
        if (string.IsNullOrWhiteSpace(deviceName)) return null;
        string name = Squash(deviceName);
        DeviceProfile? best = null;
        int bestWords = 0;
        foreach (var p in profiles)
        {
            if (p.Kind == DeviceKind.Cpu) continue;
            var words = p.Name.Split('-', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !words.All(w => name.Contains(Squash(w), StringComparison.Ordinal))) continue;
            int score = words.Sum(w => w.Length);
            if (score > bestWords) { best = p; bestWords = score; }
        }
        return best;
    }

    private static string Squash(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
