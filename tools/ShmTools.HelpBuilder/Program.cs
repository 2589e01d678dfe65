using ShmTools.HelpBuilder;

// shmtools-help --docs DIR --assembly ShmTools.dll --out DIR [--reference PATH]...
// Prints findings as "file(line): error|warning SHMHELP: message"; exit 1 on any error, 2 on bad arguments.
string? docs = null, assembly = null, output = null;
var references = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--docs": docs = Next(); break;
            case "--assembly": assembly = Next(); break;
            case "--out": output = Next(); break;
            case "--reference": references.AddRange(Next().Split(';', StringSplitOptions.RemoveEmptyEntries)); break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine($"ShmTools.HelpBuilder: {ex.Message}");
        return 2;
    }
}
if (docs == null || assembly == null || output == null)
{
    Console.Error.WriteLine("usage: ShmTools.HelpBuilder --docs DIR --assembly PATH --out DIR [--reference PATH;PATH]");
    return 2;
}

var build = new HelpBuild { DocsDirectory = docs, AssemblyPath = assembly, OutputDirectory = output, References = references };
var written = build.Run();
foreach (var d in build.Diagnostics.All) Console.WriteLine(d);
foreach (var file in written) Console.WriteLine($"ShmTools.HelpBuilder: wrote {file}");
return build.Diagnostics.HasErrors ? 1 : 0;
