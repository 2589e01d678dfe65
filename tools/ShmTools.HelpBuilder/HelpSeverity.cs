namespace ShmTools.HelpBuilder;

/// <summary>How bad a finding is: an error fails the build, a warning is reported and the help is still written.</summary>
public enum HelpSeverity
{
    Warning,
    Error,
}
