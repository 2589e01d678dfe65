using System.Collections.Concurrent;
using System.Globalization;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>uid -> account name through NSS, cached; a uid with no account shows as its number.</summary>
public static class UserNames
{
    private static readonly ConcurrentDictionary<uint, string> Cache = new();

    public static string Of(uint uid) =>
        Cache.GetOrAdd(uid, static u => Posix.UserName(u) ?? u.ToString(CultureInfo.InvariantCulture));

    /// <summary>Resolves "alice" or "1000" to a uid; null when neither.</summary>
    public static uint? ResolveUid(string userOrUid)
    {
        if (uint.TryParse(userOrUid, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) return uid;
        foreach (var (u, name) in Cache)
            if (name == userOrUid) return u;
        return null;
    }
}
