namespace ShmTools.Cli;

/// <summary>The exit codes of the command-line contract.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int SomeItemsFailed = 1;
    public const int BadInput = 2;
    public const int EnvironmentCannot = 3;
}
