namespace IncidentResponder.Runtime.Health;

/// <summary>What one check found: healthy or not, and in words why (shown in /readyz).</summary>
public sealed record HealthCheckResult(bool IsHealthy, string? Message = null)
{
    public static HealthCheckResult Healthy(string? message = null) => new(true, message);

    public static HealthCheckResult Unhealthy(string? message = null) => new(false, message);
}
