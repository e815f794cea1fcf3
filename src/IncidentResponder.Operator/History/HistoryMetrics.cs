using Prometheus;

namespace IncidentResponder.Operator.History;

/// <summary>
/// The history store's metrics on the operator's registry. Pending records and lag are properties of "now", so they
/// are read from the backlog when Prometheus scrapes.
/// </summary>
public sealed class HistoryMetrics
{
    public HistoryMetrics(CollectorRegistry registry, HistoryBacklog backlog)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var pending = factory.CreateGauge("incident_responder_history_pending_records",
            "Incidents with a change the history store has not recorded yet.");
        var lag = factory.CreateGauge("incident_responder_history_lag_seconds",
            "How long the oldest change not yet recorded in the history store has waited (0 when all is recorded).");
        Writes = factory.CreateCounter("incident_responder_history_writes_total",
            "Snapshot writes to the history store by outcome: recorded (rows changed), unchanged (already recorded), failed.", ["outcome"]);
        foreach (var outcome in new[] { Recorded, Unchanged, Failed })
        {
            Writes.WithLabels(outcome); // published at 0, so a rate() or an alert sees the series before the first write
        }

        registry.AddBeforeCollectCallback(() =>
        {
            pending.Set(backlog.PendingCount);
            lag.Set(backlog.Lag.TotalSeconds);
        });
    }

    public const string Recorded = "recorded";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";

    public Counter Writes { get; }
}
