using IncidentResponder.Runtime.Health;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// The intake's readiness check: it can authenticate Alertmanager (its token Secret was read). Not critical: alerts
/// are an extra input, and detection and remediation go on without them, so a failure makes /readyz "degraded".
/// Created with the options, before the endpoint starts, so it can be listed in OperatorOptions.ReadinessChecks.
/// </summary>
public sealed class AlertmanagerIntakeHealth : IHealthCheck
{
    public const string CheckName = "alertmanager-intake";

    private volatile WebhookToken? _token;

    public string Name => CheckName;

    public bool IsCritical => false;

    public bool IsHealthy() => _token?.IsHealthy == true;

    public ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(
        _token is not { } token ? HealthCheckResult.Unhealthy("the webhook is not serving yet")
        : token.IsHealthy ? HealthCheckResult.Healthy()
        : HealthCheckResult.Unhealthy($"the webhook token cannot be read: {token.Problem}"));

    internal void Watch(WebhookToken token) => _token = token;
}
