using System.Globalization;
using System.Management.Automation.Host;

namespace ShmTools.PowerShell.Tests.Runner;

/// <summary>A console host that records everything the engine asks it to show, and answers prompts from a script.</summary>
public sealed class RecordingHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();

    public RecordingHost(int width) => Recorder = new RecordingUserInterface(width);

    public RecordingUserInterface Recorder { get; }

    public override PSHostUserInterface UI => Recorder;

    public override string Name => "ShmTools.TestHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId => _id;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void EnterNestedPrompt() => throw new NotSupportedException("no nested prompts in the test host");

    public override void ExitNestedPrompt() => throw new NotSupportedException("no nested prompts in the test host");

    public override void NotifyBeginApplication() { }

    public override void NotifyEndApplication() { }

    public override void SetShouldExit(int exitCode) { }
}
