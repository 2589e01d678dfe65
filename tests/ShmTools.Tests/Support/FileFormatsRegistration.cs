using System.Runtime.CompilerServices;

namespace ShmTools.Tests.Support;

/// <summary>Registers the file-format readers with Core before any test runs, as the front ends do at start-up.</summary>
internal static class FileFormatsRegistration
{
    [ModuleInitializer]
    internal static void Register() => ShmTools.Formats.FileFormatReaders.Register();
}
