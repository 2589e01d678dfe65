using System.Reflection;
using System.Runtime.Loader;
using YamlDotNet.RepresentationModel;

// Usage: IsolationProbe MODULE_FOLDER [--no-hook]
// 1. Uses its own YamlDotNet (another module's version) in the default load context.
// 2. Loads the module's cmdlet assembly and hooks its resolver, as the module initializer does.
// 3. Calls the engine, which parses the built-in YAML profiles with its own YamlDotNet.
// Prints key=value lines for the test to check.
string folder = args[0];
var yaml = new YamlStream();
yaml.Load(new StringReader("host: first"));
Console.WriteLine("host.yamldotnet=" + typeof(YamlStream).Assembly.GetName().Version);
Console.WriteLine("host.yamldotnet.context=" + AssemblyLoadContext.GetLoadContext(typeof(YamlStream).Assembly)!.Name);

var module = Assembly.LoadFrom(Path.Combine(folder, "ShmTools.dll"));
if (args.Contains("--no-hook"))
{
    // Without the resolver the engine is not found at all: it is not where default probing looks.
    Console.WriteLine("engine.found=" + (Type.GetType("ShmTools.Core.Profiles.ProfileCatalog, ShmTools.Core", throwOnError: false) != null));
    return;
}
module.GetType("ShmTools.Loading.DependencyResolver", throwOnError: true)!.GetMethod("Hook")!.Invoke(null, null);

var catalog = Type.GetType("ShmTools.Core.Profiles.ProfileCatalog, ShmTools.Core", throwOnError: true)!;
var builtIn = (System.Collections.ICollection)catalog.GetProperty("BuiltIn")!.GetValue(null)!;
Console.WriteLine("engine.context=" + AssemblyLoadContext.GetLoadContext(catalog.Assembly)!.Name);
Console.WriteLine("engine.profiles=" + builtIn.Count);
var engineYaml = AssemblyLoadContext.GetLoadContext(catalog.Assembly)!.Assemblies.First(a => a.GetName().Name == "YamlDotNet");
Console.WriteLine("engine.yamldotnet=" + engineYaml.GetName().Version);
Console.WriteLine("host.yamldotnet.still=" + typeof(YamlStream).Assembly.GetName().Version);
yaml.Load(new StringReader("host: again"));
Console.WriteLine("host.yamldotnet.works=true");
