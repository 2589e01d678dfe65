using System.Runtime.CompilerServices;
using ShmTools.Core.Native;

namespace ShmTools.Core.Processes;

/// <summary>
/// A forward-only parser over /proc/PID/maps bytes: <c>start-end perms offset major:minor inode path</c>.
/// Anonymous lines (device 00:00, inode 0) are skipped without further parsing.
/// </summary>
public ref struct MapsParser
{
    private ReadOnlySpan<byte> _rest;

    public MapsParser(ReadOnlySpan<byte> text) => _rest = text;

    public bool MoveNext(out MapsLine line)
    {
        while (!_rest.IsEmpty)
        {
            int nl = _rest.IndexOf((byte)'\n');
            var l = nl < 0 ? _rest : _rest[..nl];
            _rest = nl < 0 ? default : _rest[(nl + 1)..];
            if (TryParseLine(l, out line)) return true;
        }
        line = default;
        return false;
    }

    private static bool TryParseLine(ReadOnlySpan<byte> l, out MapsLine line)
    {
        line = default;
        int pos = 0;
        if (!Hex(l, ref pos, out ulong start) || !Expect(l, ref pos, (byte)'-')) return false;
        if (!Hex(l, ref pos, out ulong end) || !Expect(l, ref pos, (byte)' ')) return false;
        int sp = l[pos..].IndexOf((byte)' ');
        if (sp < 0) return false;
        pos += sp + 1; // perms
        if (!Hex(l, ref pos, out ulong offset) || !Expect(l, ref pos, (byte)' ')) return false;
        if (!Hex(l, ref pos, out ulong major) || !Expect(l, ref pos, (byte)':')) return false;
        if (!Hex(l, ref pos, out ulong minor) || !Expect(l, ref pos, (byte)' ')) return false;
        ulong inode = 0;
        int digits = 0;
        while (pos < l.Length && (uint)(l[pos] - '0') <= 9) { inode = inode * 10 + (ulong)(l[pos] - '0'); pos++; digits++; }
        // Anonymous memory is 00:00 with inode 0; a SysV segment may have shmid (= inode) 0 on 00:01.
        if (digits == 0 || (inode == 0 && major == 0 && minor == 0)) return false;
        while (pos < l.Length && l[pos] == ' ') pos++;
        line = new MapsLine(start, end, offset, new DeviceId((uint)major, (uint)minor), inode, l[pos..]);
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
