using System.Collections.Concurrent;
using IncidentResponder.Runtime.Health;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>
/// Readiness of metric analysis: degraded while some policy's Prometheus cannot be asked (unreachable, too slow, or
/// answering garbage). Not critical: detection from the cluster's own objects and remediation go on without it.
/// </summary>
public sealed class MetricsHealth : IHealthCheck
{
    public const string CheckName = "prometheus";

    // Keyed "namespace/policy"; only failing policies are kept.
    private readonly ConcurrentDictionary<string, string> _failing = new(StringComparer.Ordinal);

    public string Name => CheckName;

    public bool IsCritical => false;

    public bool IsHealthy() => _failing.IsEmpty;

    public void Report(string ns, string policy, string? problem)
    {
        if (problem is null)
        {
            _failing.TryRemove($"{ns}/{policy}", out _);
        }
        else
        {
            _failing[$"{ns}/{policy}"] = problem;
        }
    }

    public ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var failing = _failing.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value}").ToList();
        return ValueTask.FromResult(failing.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", failing)));
    }
}
