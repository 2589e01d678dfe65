using ShmTools.Core.Native;

namespace ShmTools.Core.Planning.Plan;

/// <summary>
/// Writes a plan's SVG charts: the first device to the given path, each other device beside it
/// as NAME-DEVICE.svg. The path is checked when the writer is made, before any planning work:
/// its directory must exist and the path must not be a directory, FIFO or device (writing to a
/// FIFO would wait for a reader). Every failure is a <see cref="ChartWriteException"/> naming the file.
/// </summary>
public sealed class PlanChartWriter
{
    private readonly string _path;

    public PlanChartWriter(string path)
    {
        _path = path;
        Check(path);
    }

    public void Write(MemoryPlan plan)
    {
        for (int i = 0; i < plan.Devices.Count; i++)
        {
            string path = i == 0 ? _path : Path.ChangeExtension(_path, null) + "-" + plan.Devices[i].Name + ".svg";
            Check(path);
            try
            {
                Outputs.AtomicTextFile.Write(path, PlanChart.Svg(plan.Devices[i])); // a link at the path is replaced, never followed
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ChartWriteException($"{path}: the chart cannot be written: {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// Refuses a path no chart can ever be written to: what no output file may be written to
    /// (<see cref="Outputs.AtomicTextFile.Problem"/>), and anything existing that is not a regular
    /// file (a FIFO too): a <see cref="ChartWriteException"/>.
    /// </summary>
    public static void Check(string path)
    {
        if (Outputs.AtomicTextFile.Problem(path) is { } problem) throw new ChartWriteException(problem);
        if (OperatingSystem.IsLinux() && Posix.Stat(Path.GetFullPath(path), followLinks: true, out var status) == 0 && status.Type != UnixFileType.RegularFile)
            throw new ChartWriteException($"{path}: exists and is not a regular file; the chart is written only to a new or regular file.");
    }
}
