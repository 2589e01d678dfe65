using System.Text.Json;
using ShmTools.Core.Liveness;
using ShmTools.Core.Native;

namespace ShmTools.Core.Cleanup;

/// <summary>
/// The audit trail of cleanups: one JSON object per line. Write-ahead: before a segment is
/// touched its intent line is on disk (<see cref="Intend"/> then <see cref="Commit"/>, which
/// fsyncs); the outcome line follows the removal. A line is appended whole or not at all, and
/// any failure to write throws <see cref="AuditLogUnavailableException"/>, so the cleaner stops
/// before it removes anything unrecorded.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly AppendOnlyFile _file;
    private readonly string _host = Environment.MachineName;
    private readonly uint _euid = Posix.EffectiveUserId;

    /// <summary>
    /// Opens the log: never through a symbolic link (O_NOFOLLOW), never a FIFO or device, and
    /// only a regular file with one name owned by the running user or root, so a planted link
    /// or hard link cannot steer appended text into another file.
    /// </summary>
    public AuditLog(string path)
    {
        Path = path;
        var file = AppendOnlyFile.Open(path, out int errno)
            ?? throw new AuditLogUnavailableException(errno == 6
                ? $"Refusing the audit log {path}: it is a FIFO or socket, not a regular file."
                : $"Cannot open the audit log {path}: {Describe(errno)}");
        var st = file.Status;
        string? refusal =
            st.Type != UnixFileType.RegularFile ? $"it is a {st.Type}, not a regular file" :
            st.Uid != _euid && st.Uid != 0 ? $"it is owned by uid {st.Uid}, not by the running user ({_euid}) or root" :
            st.LinkCount != 1 ? $"it has {st.LinkCount} names (a hard link to another file?)" :
            null;
        if (refusal != null)
        {
            file.Dispose();
            throw new AuditLogUnavailableException($"Refusing the audit log {path}: {refusal}.");
        }
        _file = file;
    }

    public string Path { get; }

    /// <summary>Appends the intent to remove a segment (after parking it as <paramref name="quarantineName"/>, if given).</summary>
    public void Intend(LivenessResult r, string? quarantineName) => Append(w =>
    {
        Common(w, "intent", DateTimeOffset.UtcNow);
        w.WriteString("action", "remove");
        w.WriteString("name", r.Name);
        w.WriteString("kind", r.Kind.ToString().ToLowerInvariant());
        w.WriteString("path", r.Path);
        if (quarantineName != null) w.WriteString("quarantine", quarantineName);
        w.WriteString("verdict", r.Verdict.ToString());
        w.WriteString("reason", r.Reason);
    });

    /// <summary>Appends a decision or an outcome.</summary>
    public void Write(RemovalRecord r) => Append(w =>
    {
        Common(w, "outcome", r.Time);
        w.WriteBoolean("dryRun", r.Action == CleanupAction.WouldRemove);
        w.WriteString("action", System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(r.Action.ToString()));
        w.WriteString("name", r.Name);
        w.WriteString("kind", r.Kind.ToString().ToLowerInvariant());
        w.WriteString("path", r.Path);
        w.WriteString("verdict", r.Verdict.ToString());
        w.WriteString("reason", r.Reason);
        w.WriteNumber("bytesFreed", r.BytesFreed);
        if (r.QuarantineName != null) w.WriteString("quarantine", r.QuarantineName);
        if (r.Error != null) w.WriteString("error", r.Error);
    });

    /// <summary>Makes every line appended so far durable (fsync).</summary>
    public void Commit()
    {
        int e = _file.Sync();
        if (e != 0) throw new AuditLogUnavailableException($"Cannot write the audit log {Path}: {Describe(e)}");
    }

    private void Common(Utf8JsonWriter w, string phase, DateTimeOffset time)
    {
        w.WriteString("time", time);
        w.WriteString("host", _host);
        w.WriteNumber("euid", _euid);
        w.WriteString("phase", phase);
    }

    private void Append(Action<Utf8JsonWriter> fields)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }
        System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
        int e = _file.Append(buffer.WrittenSpan);
        if (e != 0) throw new AuditLogUnavailableException($"Cannot write the audit log {Path}: {Describe(e)}");
    }

    private static string Describe(int errno) => Errors.Describe(errno);

    public void Dispose() => _file.Dispose();
}
