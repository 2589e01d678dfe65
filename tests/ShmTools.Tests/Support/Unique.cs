namespace ShmTools.Tests.Support;

/// <summary>Names and keys no other test or program uses.</summary>
public static class Unique
{
    public static string Name(string prefix = "shmtools-test") => prefix + "-" + Guid.NewGuid().ToString("N")[..16];

    public static int SysVKey() => 0x5A000000 | (Random.Shared.Next() & 0x00FFFFFF);
}
