using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Metrics;

namespace IncidentResponder.Operator.Metrics;

/// <summary>Puts the incident metrics on the operator's registry and connects them to the Incident informers.</summary>
public static class MetricsWiring
{
    public static IncidentMetrics Add(ClusterCache cache, ControllerManager manager, RuntimeMetrics runtime)
    {
        var metrics = new IncidentMetrics(runtime);
        // The replica whose controllers run is the one acting on incidents (all of them without leader election).
        bool IsActive() => manager.ControllersRunning;
        var recorder = new IncidentMetricsRecorder(metrics, IsActive);
        foreach (var informer in cache.Incidents.Members)
        {
            informer.AddEventHandler(recorder);
        }

        var gauge = new IncidentGauge(metrics, () => cache.Incidents.All().Select(i => i.Object), IsActive);
        runtime.Registry.AddBeforeCollectCallback(gauge.Update);
        return metrics;
    }
}
