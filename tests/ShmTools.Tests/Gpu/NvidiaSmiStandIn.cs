namespace ShmTools.Tests.Gpu;

/// <summary>A stand-in nvidia-smi: a shell script answering the two CSV queries the engine makes.</summary>
public static class NvidiaSmiStandIn
{
    public static string Write(int livePid)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("shmtools-smi-").FullName, "nvidia-smi");
        File.WriteAllText(path, $"""
            #!/bin/sh
            case "$1" in
              --query-gpu=*) printf '0, GPU-aaaa, NVIDIA L4, 23034, 1024\n1, GPU-bbbb, Tesla T4, 15360, [N/A]\n' ;;
              --query-compute-apps=*) printf '{livePid}, python3, 512, GPU-aaaa\n4100000, /opt/app, weird, name, [N/A], GPU-bbbb\n' ;;
              *) echo "unexpected $*" >&2; exit 9 ;;
            esac
            """.Replace("\r", ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
