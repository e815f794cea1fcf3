namespace IncidentResponder.Runtime.Health;

/// <summary>
/// A check that awaits something (a ping, a query) and says what it found, e.g.
/// <c>new AsyncHealthCheck("history-store", ct => store.PingAsync(ct), critical: false)</c>.
/// </summary>
public sealed class AsyncHealthCheck(string name, Func<CancellationToken, Task<HealthCheckResult>> check, bool critical = true) : IHealthCheck
{
    public string Name => name;

    public bool IsCritical => critical;

    /// <summary>The synchronous form blocks on the check; the health server always calls <see cref="CheckAsync"/>.</summary>
    public bool IsHealthy() => check(CancellationToken.None).GetAwaiter().GetResult().IsHealthy;

    public async ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken) =>
        await check(cancellationToken).ConfigureAwait(false);
}
