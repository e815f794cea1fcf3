namespace IncidentResponder.Runtime.Health;

public sealed record HealthServerOptions
{
    /// <summary>Where to listen, e.g. "http://0.0.0.0:8081" (controller-runtime's probe port); port 0 picks a free one.</summary>
    public string Url { get; init; } = "http://0.0.0.0:8081";

    /// <summary>Also serve Prometheus metrics at this path; null to serve them elsewhere.</summary>
    public string? MetricsPath { get; init; } = "/metrics";

    /// <summary>
    /// How long one readiness check may take before it counts as failed. Below the kubelet's default probe timeout
    /// (1 s), so /readyz always answers in time with the slow check named, rather than timing out as a whole.
    /// </summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMilliseconds(800);
}
