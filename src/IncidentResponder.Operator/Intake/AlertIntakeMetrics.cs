using Prometheus;

namespace IncidentResponder.Operator.Intake;

/// <summary>The intake's metrics, on the operator's registry.</summary>
public sealed class AlertIntakeMetrics
{
    public AlertIntakeMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        AlertsReceived = factory.CreateCounter("incident_responder_alerts_received_total",
            "Alerts in Alertmanager notifications that were applied, by alert status (firing, resolved)", ["status"]);
        Requests = factory.CreateCounter("incident_responder_alert_requests_total",
            "Requests to the Alertmanager webhook, by HTTP status code", ["code"]);
        Unmapped = factory.CreateCounter("incident_responder_alerts_unmapped_total",
            "Applied alerts that name no Deployment the operator can find (no namespace, unknown target, unwatched namespace)");
    }

    public Counter AlertsReceived { get; }

    public Counter Requests { get; }

    public Counter Unmapped { get; }
}
