using System.Buffers.Text;

namespace ShmTools.Core.Processes;

/// <summary>Parses /proc/PID/stat: the command name may contain spaces and parentheses.</summary>
public static class ProcStatParser
{
    /// <summary>Returns false when the text is not a stat line.</summary>
    public static bool TryParse(ReadOnlySpan<byte> stat, out string name, out char state, out ulong startTicks)
    {
        name = "";
        state = '?';
        startTicks = 0;
        int open = stat.IndexOf((byte)'(');
        int close = stat.LastIndexOf((byte)')');
        if (open < 0 || close < open || close + 2 >= stat.Length) return false;
        name = System.Text.Encoding.UTF8.GetString(stat[(open + 1)..close]);
        var rest = stat[(close + 2)..];
        state = (char)rest[0];
        // rest holds fields 3.. separated by single spaces; starttime is field 22.
        int field = 3;
        while (field < 22)
        {
            int sp = rest.IndexOf((byte)' ');
            if (sp < 0) return false;
            rest = rest[(sp + 1)..];
            field++;
        }
        int end = rest.IndexOfAny((byte)' ', (byte)'\n');
        if (end < 0) end = rest.Length;
        return Utf8Parser.TryParse(rest[..end], out startTicks, out _);
    }
}
