using System.Diagnostics;

namespace IncidentResponder.Runtime.Health;

/// <summary>
/// Runs a set of checks side by side, each timed and bounded, and folds them into one verdict: any critical failure is
/// unhealthy, only non-critical failures degraded. A check that throws or overruns its time is a failed check with
/// the reason as its message, never a failed endpoint: the kubelet must always get an answer within its probe timeout.
/// </summary>
public sealed class HealthEvaluator(TimeSpan checkTimeout, TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public async Task<HealthReport> EvaluateAsync(IReadOnlyList<IHealthCheck> checks, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(checks.Select(check => RunAsync(check, cancellationToken))).ConfigureAwait(false);
        var byName = new Dictionary<string, CheckReport>(StringComparer.Ordinal);
        foreach (var (check, report) in checks.Zip(results))
        {
            // Names are the report's keys; a repeated name gets a suffix rather than hiding the earlier result.
            var key = check.Name;
            for (var n = 2; byName.ContainsKey(key); n++)
            {
                key = $"{check.Name}#{n}";
            }

            byName[key] = report;
        }

        var status = results.Any(r => r.Status == "error") ? HealthStatus.Unhealthy
            : results.Any(r => r.Status == "degraded") ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        var now = time.GetUtcNow();
        return new HealthReport(status, now, now - _started, byName);
    }

    private async Task<CheckReport> RunAsync(IHealthCheck check, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        HealthCheckResult result;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(checkTimeout);
        try
        {
            // Task.Run: a check that blocks synchronously must not hold up the others or the deadline below.
            result = await Task.Run(async () => await check.CheckAsync(timeout.Token).ConfigureAwait(false), CancellationToken.None)
                .WaitAsync(checkTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            result = HealthCheckResult.Unhealthy($"no answer within {checkTimeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = HealthCheckResult.Unhealthy($"no answer within {checkTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = HealthCheckResult.Unhealthy($"{ex.GetType().Name}: {ex.Message}");
        }

        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var status = result.IsHealthy ? "ok" : check.IsCritical ? "error" : "degraded";
        return new CheckReport(status, check.IsCritical, latency, result.Message);
    }
}
