namespace IncidentResponder.Simulator.Metrics;

/// <summary>
/// The application metrics endpoint (<c>/sim/metrics</c>) on a listener of its own, as a pod's metrics port is apart
/// from the API server, and the shape of the traffic it reports.
/// </summary>
public sealed record SimulatedMetricsOptions
{
    /// <summary>Loopback address to listen on; null takes <see cref="SimulatorOptions.ListenAddress"/>.</summary>
    public string? ListenAddress { get; init; }

    /// <summary>TCP port; 0 picks a free one (see <see cref="SimulatedCluster.MetricsAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>Requests each serving pod answers per second.</summary>
    public double RequestsPerSecond { get; init; } = 10;

    /// <summary>The fastest and slowest answer of a healthy pod; durations spread evenly between them.</summary>
    public TimeSpan FastestRequest { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan SlowestRequest { get; init; } = TimeSpan.FromMilliseconds(50);
}
