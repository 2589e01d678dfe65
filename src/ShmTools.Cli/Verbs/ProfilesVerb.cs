using System.CommandLine;
using ShmTools.Core.Profiles;
using ShmTools.Core.Text;

namespace ShmTools.Cli.Verbs;

/// <summary><c>shmtools profiles</c>: the twin of Get-DeviceProfile.</summary>
public static class ProfilesVerb
{
    public static Command Create(Option<bool> json)
    {
        var path = new Option<string[]>("--path") { Description = "Also read profiles from this YAML file or directory (repeatable).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("profiles", "List built-in and user device profiles.");
        command.Options.Add(path);
        command.SetAction(parse =>
        {
            var set = ProfileCatalog.Load(parse.GetValue(path) ?? []);
            var profiles = set.All.ToList();
            foreach (var w in set.Warnings) Console.Error.WriteLine("warning: " + w);
            if (parse.GetValue(json)) JsonOutput.Write(profiles, CliJsonContext.Default.ListDeviceProfile);
            else
                Console.Out.Write(Output.Table(["NAME", "KIND", "MEMORY", "RESERVED", "UNITS", "ALIGN", "SOURCE"],
                    profiles.Select(p => (IReadOnlyList<string>)[p.Name, EnumWords.Word(p.Kind), ByteSize.Format(p.MemoryBytes),
                        ByteSize.Format(p.ReservedBytes), p.ComputeUnits.ToString(), p.AlignmentBytes.ToString(), p.Source]),
                    new HashSet<int> { 2, 3, 4, 5 }));
            return ExitCodes.Success;
        });
        return command;
    }
}
