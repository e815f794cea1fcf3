using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Operator.Metrics;

/// <summary>
/// incident_responder_incidents is a property of "now", so it is counted from the informer cache when Prometheus
/// scrapes: nothing to keep in step, nothing counted twice, and a deleted Incident is gone from the next scrape.
/// Every severity × phase is always published (0 when empty) so alerts can compare against 0 rather than absent().
/// </summary>
public sealed class IncidentGauge(IncidentMetrics metrics, Func<IEnumerable<Incident>> incidents, Func<bool> isActive)
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string Severity, string Phase)> _published = [];

    public void Update()
    {
        var counts = isActive()
            ? incidents().GroupBy(i => (IncidentMetricLabels.Severity(i), IncidentMetricLabels.Phase(i))).ToDictionary(g => g.Key, g => g.Count())
            : [];
        lock (_lock)
        {
            foreach (var severity in Enum.GetValues<Severity>())
            {
                foreach (var phase in Enum.GetValues<IncidentPhase>())
                {
                    _published.Add((IncidentMetricLabels.Severity(severity), phase.ToString()));
                }
            }

            _published.UnionWith(counts.Keys);
            foreach (var labels in _published)
            {
                metrics.Incidents.WithLabels(labels.Severity, labels.Phase).Set(counts.GetValueOrDefault(labels));
            }
        }
    }
}
