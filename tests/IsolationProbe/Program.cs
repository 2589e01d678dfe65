using System.Reflection;
using System.Runtime.Loader;
using YamlDotNet.RepresentationModel;

// Usage: IsolationProbe MODULE_FOLDER [--no-hook]
// 1. Uses its own YamlDotNet (another module's version) in the default load context.
// 2. Loads the module's cmdlet assembly and hooks its resolver, then registers the file-format
//    readers, as the module initializer does.
// 3. Reads the built-in YAML profiles through Core, which reaches the readers and their YamlDotNet.
// Prints key=value lines for the test to check.
string folder = args[0];
var yaml = new YamlStream();
yaml.Load(new StringReader("host: first"));
Console.WriteLine("host.yamldotnet=" + typeof(YamlStream).Assembly.GetName().Version);
Console.WriteLine("host.yamldotnet.context=" + AssemblyLoadContext.GetLoadContext(typeof(YamlStream).Assembly)!.Name);

var module = Assembly.LoadFrom(Path.Combine(folder, "ShmTools.dll"));
// The object model is beside the cmdlets, loaded into the default context as PowerShell's own
// probing of the module folder does.
var catalog = Assembly.LoadFrom(Path.Combine(folder, "ShmTools.Core.dll")).GetType("ShmTools.Core.Profiles.ProfileCatalog", throwOnError: true)!;
Console.WriteLine("core.context=" + AssemblyLoadContext.GetLoadContext(catalog.Assembly)!.Name);
if (args.Contains("--no-hook"))
{
    // Without the resolver the readers are not found at all: they are not where default probing looks.
    Console.WriteLine("formats.found=" + (Type.GetType("ShmTools.Formats.FileFormatReaders, ShmTools.Formats", throwOnError: false) != null));
    return;
}
module.GetType("ShmTools.Loading.DependencyResolver", throwOnError: true)!.GetMethod("Hook")!.Invoke(null, null);
var readers = Type.GetType("ShmTools.Formats.FileFormatReaders, ShmTools.Formats", throwOnError: true)!;
readers.GetMethod("Register")!.Invoke(null, null);
var formatsContext = AssemblyLoadContext.GetLoadContext(readers.Assembly)!;
Console.WriteLine("formats.context=" + formatsContext.Name);
var coreSeenByFormats = readers.Assembly.GetReferencedAssemblies().First(a => a.Name == "ShmTools.Core");
Console.WriteLine("formats.core.shared=" + ReferenceEquals(formatsContext.LoadFromAssemblyName(coreSeenByFormats), catalog.Assembly));

var builtIn = (System.Collections.ICollection)catalog.GetProperty("BuiltIn")!.GetValue(null)!;
Console.WriteLine("engine.profiles=" + builtIn.Count);
var engineYaml = formatsContext.Assemblies.First(a => a.GetName().Name == "YamlDotNet");
Console.WriteLine("engine.yamldotnet=" + engineYaml.GetName().Version);
Console.WriteLine("engine.yamldotnet.in.default=" + AssemblyLoadContext.Default.Assemblies.Count(a => a.GetName().Name == "YamlDotNet"));
Console.WriteLine("host.yamldotnet.still=" + typeof(YamlStream).Assembly.GetName().Version);
yaml.Load(new StringReader("host: again"));
Console.WriteLine("host.yamldotnet.works=true");
