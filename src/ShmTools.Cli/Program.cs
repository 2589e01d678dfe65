using System.CommandLine;
using ShmTools.Cli;
using ShmTools.Cli.Verbs;

StderrStream.Install();
ShmTools.Formats.FileFormatReaders.Register();

var json = new Option<bool>("--json") { Description = "Machine output: JSON on stdout, nothing else on stdout.", Recursive = true };
var root = new RootCommand("shmtools: find, judge and clean shared memory; see who holds GPU memory; plan model memory.");
root.Options.Add(json);
root.Subcommands.Add(ListVerb.Create(json));
root.Subcommands.Add(CheckVerb.Create(json));
root.Subcommands.Add(CleanVerb.Create(json));
root.Subcommands.Add(GpuVerb.Create(json));
root.Subcommands.Add(PlanVerb.Create(json));
root.Subcommands.Add(ProfilesVerb.Create(json));
root.Subcommands.Add(DfVerb.Create(json));
root.Subcommands.Add(MetricsVerb.Create());
root.Subcommands.Add(ServeVerb.Create());

// No response files: "@name" is an argument like any other (a --name pattern may begin with @),
// never a file to read (reading one was a stack trace for a directory and a hang for a fifo).
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parse.Errors.Count > 0)
{
    foreach (var message in ParseErrors.Describe(parse.Errors)) Console.Error.WriteLine("shmtools: " + message);
    Console.Error.WriteLine("Try 'shmtools --help'.");
    return ExitCodes.BadInput;
}
OneShotHeap.Reserve(parse);
try
{
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException ex)
{
    Console.Error.WriteLine("shmtools: " + ex.Message);
    return ExitCodes.BadInput;
}
catch (Exception ex) when (ex is ShmTools.Core.Planning.Graph.ModelFormatException or ShmTools.Core.Profiles.ProfileFormatException or ShmTools.Core.Planning.Plan.ChartWriteException or ShmTools.Core.Gpu.GpuInputException)
{
    Console.Error.WriteLine("shmtools: " + ex.Message);
    return ExitCodes.BadInput;
}
catch (Exception ex) when (ex is ShmTools.Core.Cleanup.AuditLogUnavailableException or ShmTools.Core.Cleanup.CleanupOptionsException)
{
    Console.Error.WriteLine("shmtools: " + ex.Message);
    return ExitCodes.BadInput;
}
catch (ShmTools.Core.Gpu.GpuUnavailableException ex)
{
    Console.Error.WriteLine("shmtools: " + ex.Message);
    return ExitCodes.EnvironmentCannot;
}
catch (ReaderGoneException)
{
    // `shmtools list | head`: what the reader asked for was written; the rest is not made.
    return ExitCodes.Success;
}
catch (OutputWriteException ex)
{
    Console.Error.WriteLine("shmtools: " + ex.Message);
    return ExitCodes.EnvironmentCannot;
}
catch (PlatformNotSupportedException ex)
{
    Console.Error.WriteLine("shmtools: " + ex.Message);
    return ExitCodes.EnvironmentCannot;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    // What the system refused that no verb expected (a /proc that cannot be listed, ...): one line,
    // not a trace; the console writer's failure on a standard output that cannot take it is said as such.
    Console.Error.WriteLine("shmtools: " + (OperatingSystem.IsLinux() && ShmTools.Core.Native.Posix.CannotWrite(1) is { } why
        ? $"cannot write to standard output: {why}; the output is incomplete."
        : ex.Message));
    return ExitCodes.EnvironmentCannot;
}
catch (Exception ex)
{
    // The last resort: a failure no verb foresaw is one line naming it, not a trace, unless asked.
    Console.Error.WriteLine($"shmtools: unexpected failure ({ex.GetType().Name}): {ex.Message.TrimEnd('.')}; the run stopped there.");
    if (Environment.GetEnvironmentVariable("SHMTOOLS_TRACE") is "1") Console.Error.WriteLine(ex);
    else Console.Error.WriteLine("shmtools: SHMTOOLS_TRACE=1 prints where it happened.");
    return ExitCodes.EnvironmentCannot;
}
