using IncidentResponder.Runtime.Metrics;
using Prometheus;

namespace IncidentResponder.Operator.Metrics;

/// <summary>
/// The incident metric families, on the operator's registry next to the controller-runtime ones. Names are shared with
/// config/prometheus (alerts, dashboard); the Deploy tests read them from here, so a rename fails there too.
/// </summary>
public sealed class IncidentMetrics
{
    public const string IncidentsName = "incident_responder_incidents";
    public const string ActionsName = "incident_responder_actions_total";
    public const string TimeToDetectName = "incident_responder_time_to_detect_seconds";
    public const string TimeToMitigateName = "incident_responder_time_to_mitigate_seconds";

    /// <summary>
    /// Detection takes seconds when the operator sees the signal itself and minutes when an alert has to fire first;
    /// mitigation takes minutes to hours. 1 s to 8 h covers both with the usual severity response targets (5, 15, 30, 60 min) as edges.
    /// </summary>
    public static readonly double[] DurationBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 2700, 3600, 7200, 14400, 28800];

    public IncidentMetrics(RuntimeMetrics runtime)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(runtime.Registry);
        Incidents = factory.CreateGauge(IncidentsName, "Incidents known to the operator, by current severity and phase (reported by the acting replica; standbys report 0)",
            ["severity", "phase"]);
        Actions = factory.CreateCounter(ActionsName, "Remediation actions that reached a final phase, by action type and outcome (succeeded, failed, skipped, dry_run)",
            ["type", "outcome"]);
        TimeToDetect = factory.CreateHistogram(TimeToDetectName, "Seconds from a signal becoming visible to its incident being opened",
            new HistogramConfiguration { Buckets = DurationBuckets });
        TimeToMitigate = factory.CreateHistogram(TimeToMitigateName, "Seconds from a signal becoming visible to the incident being verified mitigated",
            new HistogramConfiguration { Buckets = DurationBuckets });
    }

    public Gauge Incidents { get; }

    public Counter Actions { get; }

    public Histogram TimeToDetect { get; }

    public Histogram TimeToMitigate { get; }
}
