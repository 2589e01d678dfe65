using System.Runtime.CompilerServices;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>Which maps lines a parse returns, asked before the line's range and offset are read.</summary>
public interface IMapsLineFilter
{
    bool Wants(DeviceId device, ReadOnlySpan<byte> path);
}

/// <summary>
/// A forward-only parser over /proc/PID/maps bytes: <c>start-end perms offset major:minor inode path</c>.
/// Anonymous lines (device 00:00, inode 0) are skipped without further parsing; with a filter,
/// so are the lines it does not want, before their address range and offset are read.
/// </summary>
public ref struct MapsParser
{
    private ReadOnlySpan<byte> _rest;

    public MapsParser(ReadOnlySpan<byte> text) => _rest = text;

    /// <summary>The next line that is not anonymous memory.</summary>
    public bool MoveNext(out MapsLine line) => MoveNext(default(EveryLine), out line);

    /// <summary>The next line that is not anonymous memory and that <paramref name="filter"/> wants.</summary>
    public bool MoveNext<TFilter>(TFilter filter, out MapsLine line) where TFilter : struct, IMapsLineFilter
    {
        while (!_rest.IsEmpty)
        {
            int nl = _rest.IndexOf((byte)'\n');
            var l = nl < 0 ? _rest : _rest[..nl];
            _rest = nl < 0 ? default : _rest[(nl + 1)..];
            if (TryParseLine(l, filter, out line)) return true;
        }
        line = default;
        return false;
    }

    private readonly struct EveryLine : IMapsLineFilter
    {
        public bool Wants(DeviceId device, ReadOnlySpan<byte> path) => true;
    }

    private static bool TryParseLine<TFilter>(ReadOnlySpan<byte> l, TFilter filter, out MapsLine line) where TFilter : struct, IMapsLineFilter
    {
        line = default;
        // The range and the permissions are passed by their spaces; the range is read once the
        // device, inode and path show the line is wanted.
        int rangeEnd = l.IndexOf((byte)' ');
        if (rangeEnd < 0) return false;
        int permsEnd = l[(rangeEnd + 1)..].IndexOf((byte)' ');
        if (permsEnd < 0) return false;
        permsEnd += rangeEnd + 1;
        int pos = permsEnd + 1;
        if (!Hex(l, ref pos, out ulong offset) || !Expect(l, ref pos, (byte)' ')) return false;
        if (!Hex(l, ref pos, out ulong major) || !Expect(l, ref pos, (byte)':')) return false;
        if (!Hex(l, ref pos, out ulong minor) || !Expect(l, ref pos, (byte)' ')) return false;
        ulong inode = 0;
        int digits = 0;
        while (pos < l.Length && (uint)(l[pos] - '0') <= 9) { inode = inode * 10 + (ulong)(l[pos] - '0'); pos++; digits++; }
        // Anonymous memory is 00:00 with inode 0; a SysV segment may have shmid (= inode) 0 on 00:01.
        if (digits == 0 || (inode == 0 && major == 0 && minor == 0)) return false;
        while (pos < l.Length && l[pos] == ' ') pos++;
        var device = new DeviceId((uint)major, (uint)minor);
        var path = l[pos..];
        if (!filter.Wants(device, path)) return false;
        // start-end, the whole first field.
        int at = 0;
        if (!Hex(l, ref at, out ulong start) || !Expect(l, ref at, (byte)'-')) return false;
        if (!Hex(l, ref at, out ulong end) || at != rangeEnd) return false;
        line = new MapsLine(start, end, offset, device, inode, path);
        return true;
    }

    // Inlined: called five times a line, and ahead-of-time compiled code left it a call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Hex(ReadOnlySpan<byte> l, ref int pos, out ulong value)
    {
        value = 0;
        int begin = pos;
        while (pos < l.Length)
        {
            uint c = l[pos];
            uint d = c - '0';
            if (d > 9)
            {
                d = (c | 0x20) - 'a';
                if (d > 5) break;
                d += 10;
            }
            value = (value << 4) | d;
            pos++;
        }
        return pos > begin;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Expect(ReadOnlySpan<byte> l, ref int pos, byte c)
    {
        if (pos >= l.Length || l[pos] != c) return false;
        pos++;
        return true;
    }
}
