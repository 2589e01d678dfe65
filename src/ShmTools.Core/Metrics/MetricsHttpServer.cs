using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShmTools.Core.Metrics;

/// <summary>
/// A small HTTP/1.x listener for Prometheus: GET or HEAD /metrics (the exposition, from the
/// <see cref="ScrapeCache"/>), /healthz, and / (a pointer to both); anything else 404 or 405.
/// Each connection serves one request and is closed. A request whose headers do not arrive within
/// the limit, that is too large, or that is malformed is answered (408, 431, 400) or dropped;
/// none can stop the listener or hold more than one of its bounded connection slots.
/// </summary>
public sealed class MetricsHttpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly ScrapeCache _cache;
    private readonly ServerLimits _limits;
    private readonly Action<string>? _log;
    private readonly SemaphoreSlim _slots;
    private long _requests;

    public MetricsHttpServer(IPEndPoint endPoint, ScrapeCache cache, ServerLimits? limits = null, Action<string>? log = null)
    {
        _cache = cache;
        _limits = limits ?? new ServerLimits();
        _log = log;
        _slots = new SemaphoreSlim(_limits.MaxConnections, _limits.MaxConnections);
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(endPoint);
            _listener.Listen(128);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
    }

    /// <summary>Where it listens (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Requests answered so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Accepts connections until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var reg = stop.Register(() => _listener.Close());
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || stop.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException ex)
            {
                _log?.Invoke("accept failed: " + ex.Message);
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            if (!_slots.Wait(0))
            {
                _ = RefuseAsync(client);
                continue;
            }
            _ = ServeAsync(client, stop);
        }
    }

    private async Task RefuseAsync(Socket client)
    {
        using (client)
        {
            try
            {
                client.Blocking = false;
                client.Send(Response(503, "Service Unavailable", "too many connections\n", head: false), SocketFlags.None, out _);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        try
        {
            using (client)
            {
                client.NoDelay = true;
                byte[]? response = await AnswerAsync(client, stop).ConfigureAwait(false);
                if (response == null) return;
                using var write = CancellationTokenSource.CreateLinkedTokenSource(stop);
                write.CancelAfter(_limits.WriteTimeout);
                int sent = 0;
                while (sent < response.Length)
                    sent += await client.SendAsync(response.AsMemory(sent), SocketFlags.None, write.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _requests);
                client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        catch (Exception ex)
        {
            _log?.Invoke("request failed: " + ex.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Reads one request head within the limits and makes its response; null to just hang up.</summary>
    private async Task<byte[]?> AnswerAsync(Socket client, CancellationToken stop)
    {
        var buffer = new byte[_limits.MaxHeaderBytes];
        int length = 0, end;
        using (var head = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            head.CancelAfter(_limits.HeaderTimeout);
            while ((end = HeadEnd(buffer, length)) < 0)
            {
                if (length == buffer.Length) return Response(431, "Request Header Fields Too Large", "request head larger than " + buffer.Length + " bytes\n", false);
                int n;
                try
                {
                    n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, head.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    return length == 0 ? null : Response(408, "Request Timeout", "request head not received in time\n", false);
                }
                if (n == 0) return null;
                length += n;
            }
        }
        int newline = Array.IndexOf(buffer, (byte)'\n', 0, end);
        string line = Encoding.ASCII.GetString(buffer, 0, newline).TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length == 0 || parts[1][0] != '/')
            return Response(400, "Bad Request", "malformed request line\n", false);
        string method = parts[0];
        bool headOnly = method == "HEAD";
        string path = parts[1];
        int q = path.IndexOf('?');
        if (q >= 0) path = path[..q];
        if (method != "GET" && !headOnly)
            return Response(405, "Method Not Allowed", "only GET and HEAD\n", false, "Allow: GET, HEAD\r\n");
        switch (path)
        {
            case "/metrics":
                MetricsSnapshot snapshot;
                try
                {
                    snapshot = await _cache.GetAsync(stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _log?.Invoke("scan failed: " + ex.Message);
                    return Response(500, "Internal Server Error", "scan failed: " + ex.Message + "\n", headOnly);
                }
                return Response(200, "OK", snapshot.Text, headOnly, contentType: ExpositionWriter.ContentType);
            case "/healthz":
                return Response(200, "OK", "ok\n", headOnly);
            case "/":
                return Response(200, "OK", "shmtools exporter: /metrics, /healthz\n", headOnly);
            default:
                return Response(404, "Not Found", "not found\n", headOnly);
        }
    }

    private static int HeadEnd(byte[] buffer, int length)
    {
        for (int i = 3; i < length; i++)
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') return i + 1;
        for (int i = 1; i < length; i++)
            if (buffer[i] == '\n' && buffer[i - 1] == '\n') return i + 1;
        return -1;
    }

    private static byte[] Response(int status, string reason, string body, bool head, string extraHeaders = "", string contentType = "text/plain; charset=utf-8")
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string header = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n{extraHeaders}\r\n";
        byte[] h = Encoding.ASCII.GetBytes(header);
        if (head) return h;
        var all = new byte[h.Length + content.Length];
        h.CopyTo(all, 0);
        content.CopyTo(all, h.Length);
        return all;
    }

    public void Dispose() => _listener.Dispose();
}
