using System.Collections.Concurrent;
using IncidentResponder.Runtime.Health;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// The notifiers' readiness: healthy unless some target's last delivery failed within the health window. Not
/// critical: without notifications the operator still remediates (readiness "degraded", not "unhealthy").
/// The operator lists it in /readyz with the failing targets' names as the message.
/// </summary>
public sealed class NotifierHealth(TimeProvider time, TimeSpan window) : IHealthCheck
{
    public const string CheckName = "notifiers";

    // Keyed "namespace/target": targets belong to a namespace's policy. Only failures are kept; a success removes one.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failing = new(StringComparer.Ordinal);

    public string Name => CheckName;

    public void Delivered(string ns, string target) => _failing.TryRemove(Key(ns, target), out _);

    public void Failed(string ns, string target) => _failing[Key(ns, target)] = time.GetUtcNow();

    public bool IsHealthy() => FailingTargets().Count == 0;

    // Not critical: a receiver that fails leaves remediation untouched, so /readyz says "degraded", never 503.
    public bool IsCritical => false;

    public ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsHealthy() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(Describe()));

    /// <summary>"ok", or the targets whose deliveries fail (names only, never a URL or key).</summary>
    public string Describe()
    {
        var failing = FailingTargets();
        return failing.Count == 0 ? "ok" : "last delivery failed: " + string.Join(", ", failing);
    }

    private List<string> FailingTargets()
    {
        var since = time.GetUtcNow() - window;
        return [.. _failing.Where(f => f.Value >= since).Select(f => f.Key).Order(StringComparer.Ordinal)];
    }

    private static string Key(string ns, string target) => $"{ns}/{target}";
}
