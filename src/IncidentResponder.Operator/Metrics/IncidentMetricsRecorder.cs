using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Metrics;

/// <summary>
/// Turns the Incident informer's events into counts: an action is counted when it is first seen in a final phase, and
/// time to detect / mitigate is observed when the status first carries it. Each action and each incident's durations
/// are remembered (until the Incident is deleted), so a re-delivered event, a relist or a later status write never
/// counts them again in this process.
///
/// What was already final when the process started (the informer's initial list) is remembered but not counted: the
/// process that saw it happen counted it, and counting it again at every restart would show as a burst in rate().
/// Only the acting replica counts (<paramref name="isActive"/>): a standby sees the same status changes, and two
/// replicas counting them would double every sum over the job.
/// </summary>
public sealed class IncidentMetricsRecorder(IncidentMetrics metrics, Func<bool> isActive) : IInformerEventHandler<CachedResource<Incident>>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    public void OnAdd(CachedResource<Incident> obj, bool isInInitialList) => Record(obj.Object, count: !isInInitialList);

    public void OnUpdate(CachedResource<Incident> oldObj, CachedResource<Incident> newObj) => Record(newObj.Object, count: true);

    public void OnDelete(CachedResource<Incident> obj)
    {
        lock (_lock)
        {
            _seen.Remove(Key(obj.Object));
        }
    }

    private void Record(Incident incident, bool count)
    {
        var status = incident.Status;
        if (status is null)
        {
            return;
        }

        count = count && isActive();
        lock (_lock)
        {
            var seen = SeenOf(incident);
            foreach (var action in status.Actions ?? [])
            {
                if (IncidentMetricLabels.Outcome(action.Phase) is { } outcome && seen.Actions.Add($"{action.Step}#{action.Attempt ?? 1}") && count)
                {
                    metrics.Actions.WithLabels(action.Type.ToString(), outcome).Inc();
                }
            }

            if (status.DetectedAt is { } detected)
            {
                if (status.OpenedAt is { } opened && !seen.Detected)
                {
                    seen.Detected = true;
                    Observe(count, metrics.TimeToDetect, opened - detected);
                }

                if (status.MitigatedAt is { } mitigated && !seen.Mitigated)
                {
                    seen.Mitigated = true;
                    Observe(count, metrics.TimeToMitigate, mitigated - detected);
                }
            }
        }
    }

    private static void Observe(bool count, Prometheus.Histogram histogram, TimeSpan duration)
    {
        if (count)
        {
            // Clocks of different writers (a person's kubectl, an alert's startsAt) can put detection after opening.
            histogram.Observe(Math.Max(0, duration.TotalSeconds));
        }
    }

    private Seen SeenOf(Incident incident)
    {
        var key = Key(incident);
        if (!_seen.TryGetValue(key, out var seen))
        {
            seen = new Seen();
            _seen[key] = seen;
        }

        return seen;
    }

    /// <summary>By UID: an Incident deleted and created again under the same name is a new incident.</summary>
    private static string Key(Incident incident) =>
        incident.Metadata.Uid ?? $"{incident.Metadata.NamespaceProperty}/{incident.Metadata.Name}";

    private sealed class Seen
    {
        public HashSet<string> Actions { get; } = new(StringComparer.Ordinal);

        public bool Detected { get; set; }

        public bool Mitigated { get; set; }
    }
}
