namespace IncidentResponder.Runtime.Health;

/// <summary>
/// One named answer for /healthz or /readyz. The original yes/no <see cref="IsHealthy"/> is all a simple check needs;
/// the default members keep such checks working unchanged while richer checks override <see cref="CheckAsync"/>
/// (to say why they fail, or to await I/O) and <see cref="IsCritical"/> (a non-critical failure degrades readiness
/// without failing it).
/// </summary>
public interface IHealthCheck
{
    string Name { get; }

    bool IsHealthy();

    /// <summary>True: a failure means the process cannot do its job (503). False: it works with less (degraded, 200).</summary>
    bool IsCritical => true;

    ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsHealthy() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
}

/// <summary>A check from a delegate, e.g. <c>new HealthCheck("informer:pods", () => informer.HasSynced)</c>.</summary>
public sealed class HealthCheck(string name, Func<bool> check, bool critical = true) : IHealthCheck
{
    public string Name => name;

    public bool IsCritical => critical;

    public bool IsHealthy() => check();
}
