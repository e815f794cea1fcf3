using IncidentResponder.Api.V1Alpha1;
using Prometheus;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// Deliveries by target type and outcome (sent|failed), and failures by reason, on the operator's registry. A
/// failure counts once per delivery (after its retries), so the rate reads as "updates people did not get".
/// </summary>
public sealed class NotificationMetrics
{
    private readonly Counter _deliveries;
    private readonly Counter _failures;

    public NotificationMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _deliveries = factory.CreateCounter("incident_responder_notifications_total",
            "Incident updates delivered (sent) or given up on after retries (failed), by target type", ["target_type", "outcome"]);
        _failures = factory.CreateCounter("incident_responder_notification_failures_total",
            "Incident update deliveries that failed, by target type and reason", ["target_type", "reason"]);
    }

    public void Sent(NotificationTargetType type) => _deliveries.WithLabels(Label(type), "sent").Inc();

    public void Failed(NotificationTargetType type, string reason)
    {
        _deliveries.WithLabels(Label(type), "failed").Inc();
        _failures.WithLabels(Label(type), reason).Inc();
    }

    private static string Label(NotificationTargetType type) => type switch
    {
        NotificationTargetType.Slack => "slack",
        NotificationTargetType.Webhook => "webhook",
        _ => "pagerduty",
    };
}
