using System.Text.Json;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// The audit trail of scheduled cleanups: one JSON object per line per decision, appended (and
/// flushed) as decisions are made, so a crash loses nothing that was done.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly FileStream _file;
    private readonly string _host = Environment.MachineName;
    private readonly uint _euid = Native.Posix.EffectiveUserId;

    public AuditLog(string path)
    {
        Path = path;
        try
        {
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogUnavailableException($"Cannot open the audit log {path}: {ex.Message}", ex);
        }
    }

    public string Path { get; }

    public void Write(RemovalRecord r, bool dryRun)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", r.Time);
            w.WriteString("host", _host);
            w.WriteNumber("euid", _euid);
            w.WriteBoolean("dryRun", dryRun);
            w.WriteString("action", r.Action.ToString().ToLowerInvariant());
            w.WriteString("name", r.Name);
            w.WriteString("kind", r.Kind.ToString().ToLowerInvariant());
            w.WriteString("path", r.Path);
            w.WriteString("verdict", r.Verdict.ToString());
            w.WriteString("reason", r.Reason);
            w.WriteNumber("bytesFreed", r.BytesFreed);
            if (r.Error != null) w.WriteString("error", r.Error);
            w.WriteEndObject();
        }
        _file.Write(buffer.WrittenSpan);
        _file.WriteByte((byte)'\n');
        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>The audit log cannot be opened: nothing is judged or removed without it.</summary>
public sealed class AuditLogUnavailableException(string message, Exception inner) : IOException(message, inner);
