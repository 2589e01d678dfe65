namespace ShmTools.Core.Metrics;

/// <summary>What the exporter's HTTP listener tolerates before it hangs up.</summary>
public sealed record ServerLimits
{
    /// <summary>The request line and headers must arrive whole within this time (slowloris guard).</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>A response not taken by the client within this time is abandoned.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The request line plus headers; larger requests get 431.</summary>
    public int MaxHeaderBytes { get; init; } = 8192;
    /// <summary>Connections served at once; more are answered 503 and closed.</summary>
    public int MaxConnections { get; init; } = 32;
}
